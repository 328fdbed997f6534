package dev.linkwell.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape the code keeps (docs/adr/0010-session-state-machine.md, issue 9): no package cycles, the module
 * arrows one way (service -> client -> protocol, simulator -> protocol), nothing in the service but demo mode
 * uses the simulator, and the session domain knows nothing of HTTP or the web.
 */
@AnalyzeClasses(packages = "dev.linkwell", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("dev.linkwell.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule protocolDependsOnNoOtherModule = noClasses()
            .that()
            .resideInAPackage("dev.linkwell.protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.linkwell.client..", "dev.linkwell.simulator..", "dev.linkwell.service..");

    @ArchTest
    static final ArchRule clientDependsOnlyOnProtocol = noClasses()
            .that()
            .resideInAPackage("dev.linkwell.client..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.linkwell.simulator..", "dev.linkwell.service..");

    @ArchTest
    static final ArchRule simulatorDependsOnlyOnProtocol = noClasses()
            .that()
            .resideInAPackage("dev.linkwell.simulator..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.linkwell.client..", "dev.linkwell.service..");

    @ArchTest
    static final ArchRule onlyDemoModeUsesTheSimulator = noClasses()
            .that()
            .resideInAPackage("dev.linkwell.service..")
            .and()
            .resideOutsideOfPackage("dev.linkwell.service.simulator..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.linkwell.simulator..");

    @ArchTest
    static final ArchRule sessionDomainKnowsNoWeb = noClasses()
            .that()
            .resideInAPackage("dev.linkwell.service.session..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework.http..",
                    "org.springframework.web..",
                    "jakarta.servlet..",
                    "dev.linkwell.service.web..");
}
