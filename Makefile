# SAM's makefile builder (BuildMethod: makefile): its Maven builder cannot resolve sibling modules.
# Every function ships the same shaded jar, unpacked as Lambda's Java runtime expects.
JAR := functions/handlers/target/kindling-functions.jar

$(JAR):
	mvn -q -DskipTests -pl functions/handlers -am package

build-IngestFunction build-AdminFunction: $(JAR)
	cd "$(ARTIFACTS_DIR)" && unzip -q -o "$(CURDIR)/$(JAR)"

.PHONY: build-IngestFunction build-AdminFunction
