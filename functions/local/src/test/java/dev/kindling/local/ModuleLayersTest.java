package dev.kindling.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.kindling.aws.planted.UsesTheLocalRuntime;
import org.junit.jupiter.api.Test;

/**
 * The modules' layers, over every module's classes (this module's tests see them all): the adapters (aws) build on
 * the core only, the handlers on the adapters and the core, the local runtime on everything; and no two packages of
 * dev.kindling, across the modules, depend on each other in a loop. The core's own rules are in its ArchitectureTest.
 */
class ModuleLayersTest {
    static final JavaClasses ALL = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kindling");

    static final ArchRule ADAPTERS = noClasses().that().resideInAPackage("dev.kindling.aws..").should().dependOnClassesThat()
            .resideInAnyPackage("dev.kindling.handler..", "dev.kindling.local..").as("the adapters depend on the core only");
    static final ArchRule HANDLERS = noClasses().that().resideInAPackage("dev.kindling.handler..").should().dependOnClassesThat()
            .resideInAPackage("dev.kindling.local..").as("the handlers do not depend on the local runtime");

    @Test
    void eachModuleBuildsOnlyOnTheOnesBelowIt() {
        assertThat(ALL.containPackage("dev.kindling.aws.dynamodb") && ALL.containPackage("dev.kindling.handler")).isTrue();
        ADAPTERS.check(ALL);
        HANDLERS.check(ALL);
    }

    @Test
    void noTwoPackagesDependOnEachOtherInALoopAcrossTheModules() {
        slices().matching("dev.kindling.(*)..").should().beFreeOfCycles().check(ALL);
    }

    @Test
    void theLayersRuleCatchesAnAdapterThatReachesUp() {
        assertThat(ADAPTERS.evaluate(new ClassFileImporter().importClasses(UsesTheLocalRuntime.class)).hasViolation()).isTrue();
    }
}
