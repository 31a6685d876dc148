package dev.kindling.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import software.amazon.planted.SdkClient;

/**
 * The core's architecture, held by ArchUnit over its compiled classes: no two of its packages depend on each other in
 * a loop (a package many need sits on a lower floor; one that needs something from above takes it through a small
 * interface it owns, as {@code journey.HoldoutEntries} does for the reports), and it is plain Java, free of AWS, of
 * Lambda and of the adapters, handlers and local runtime built on it. Each rule is shown to fail on an offender.
 */
class ArchitectureTest {
    static final JavaClasses CORE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kindling");

    /** Every top-level package of dev.kindling is a slice; subpackages (journey.flow) belong to theirs. */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    static final ArchRule PLAIN_JAVA = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "com.amazonaws..", "dev.kindling.aws..", "dev.kindling.handler..", "dev.kindling.local..")
            .as("the core depends on no AWS SDK, no Lambda runtime, no adapter, handler or local-runtime class");

    @Test
    void noTwoPackagesOfTheCoreDependOnEachOtherInALoop() {
        assertThat(CORE.size()).as("the core's classes were found").isGreaterThan(100);
        noCycles("dev.kindling").check(CORE);
    }

    @Test
    void theCoreIsPlainJava() {
        PLAIN_JAVA.check(CORE);
    }

    @Test
    void eachRuleCatchesAnOffender() {
        JavaClasses planted = new ClassFileImporter().importPackages("dev.kindling.architecture.planted");
        assertThat(noCycles("dev.kindling.architecture.planted").evaluate(planted).hasViolation()).as("a planted cycle a -> b -> a").isTrue();
        JavaClasses aws = new ClassFileImporter().importClasses(AwsOffender.class);
        assertThat(PLAIN_JAVA.evaluate(aws).hasViolation()).as("a class that uses the AWS SDK").isTrue();
    }

    /** Uses a class of the AWS SDK's package space, as no core class may. */
    static final class AwsOffender {
        SdkClient client;
    }
}
