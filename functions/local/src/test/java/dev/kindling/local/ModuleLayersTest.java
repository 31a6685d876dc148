package dev.kindling.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.kindling.aws.planted.UsesTheLocalRuntime;
import dev.kindling.handler.Services;
import dev.kindling.handler.planted.TakesEveryServiceHandler;
import org.junit.jupiter.api.Test;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

/**
 * The modules' layers, over every module's classes (this module's tests see them all): the adapters (aws) build on
 * the core only, the handlers on the adapters and the core, the local runtime on everything; and no two packages of
 * dev.kindling, across the modules, depend on each other in a loop; and no handler is handed the whole {@link Services}:
 * each names the parts it uses. The core's own rules are in its ArchitectureTest.
 */
class ModuleLayersTest {
    static final JavaClasses ALL = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kindling");

    static final ArchRule ADAPTERS = noClasses().that().resideInAPackage("dev.kindling.aws..").should().dependOnClassesThat()
            .resideInAnyPackage("dev.kindling.handler..", "dev.kindling.local..").as("the adapters depend on the core only");
    static final ArchRule HANDLERS = noClasses().that().resideInAPackage("dev.kindling.handler..").should().dependOnClassesThat()
            .resideInAPackage("dev.kindling.local..").as("the handlers do not depend on the local runtime");

    static final ArchRule HANDLERS_NAME_WHAT_THEY_USE = codeUnits().that().areDeclaredInClassesThat().haveSimpleNameEndingWith("Handler")
            .should(new ArchCondition<JavaCodeUnit>("name the parts they use instead of taking the Services") {
                @Override
                public void check(JavaCodeUnit unit, ConditionEvents events) {
                    boolean takesAll = unit.getRawParameterTypes().stream().anyMatch(type -> type.isEquivalentTo(Services.class));
                    events.add(new SimpleConditionEvent(unit, !takesAll, unit.getFullName() + " takes the whole Services"));
                }
            });

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
    void noHandlerIsGivenServicesItDoesNotUse() {
        HANDLERS_NAME_WHAT_THEY_USE.check(ALL);
        assertThat(HANDLERS_NAME_WHAT_THEY_USE.evaluate(new ClassFileImporter().importClasses(TakesEveryServiceHandler.class)).hasViolation()).isTrue();
    }

    @Test
    void theLayersRuleCatchesAnAdapterThatReachesUp() {
        assertThat(ADAPTERS.evaluate(new ClassFileImporter().importClasses(UsesTheLocalRuntime.class)).hasViolation()).isTrue();
    }
}
