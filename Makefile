# SAM's makefile builder (BuildMethod: makefile), because its Maven builder cannot resolve sibling
# modules (aws-sam-cli#2289). For each function SAM copies this folder to a scratch folder and runs
# `make -f Makefile build-<LogicalId>` there with ARTIFACTS_DIR set. Every function ships the same
# shaded jar, unpacked as Lambda's Java runtime expects; FunctionsInTemplateHaveMakeTargetsTest
# fails when a makefile function of template.yaml has no target here.
SHELL := /bin/bash
JAR := functions/handlers/target/kindling-functions.jar
# What goes into the jar: a change to any of these rebuilds it (a copied, older jar is never shipped).
SOURCES := pom.xml $(wildcard functions/core/pom.xml functions/aws/pom.xml functions/handlers/pom.xml) \
	$(shell find functions/core/src/main functions/aws/src/main functions/handlers/src/main -type f 2>/dev/null)

FUNCTIONS := IngestFunction AdminFunction EventFunction SegmentFunction SegmentRefreshFunction SendFunction \
	EmailPagesFunction EngagementFunction CatalogFunction JourneyFunction JourneyStartFunction PrivacyFunction CampaignFunction ReportFunction \
	ImportFunction SmsFunction

# bin/jdk.sh picks a JDK 21+ (the machine's default java may be 17) or stops saying what is needed.
$(JAR): $(SOURCES)
	. bin/jdk.sh && mvn -B -ntp -q -DskipTests -pl functions/handlers -am package
	@touch "$@"

$(addprefix build-,$(FUNCTIONS)): $(JAR)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	cd "$(ARTIFACTS_DIR)" && unzip -q -o "$(CURDIR)/$(JAR)"

.PHONY: $(addprefix build-,$(FUNCTIONS))
