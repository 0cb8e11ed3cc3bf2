package dev.promoter.promote;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure of the promote service, kept: feature packages without cycles, a domain (the promotion model and gate
 * evaluation) that knows nothing of Quarkus, Hibernate, Vert.x or JPA, and no code of another service.
 */
class ArchitectureTest {

    private static JavaClasses promote;

    @BeforeAll
    static void importPromote() {
        promote = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.promoter.promote");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.promoter.promote.(*)..").should().beFreeOfCycles().check(promote);
    }

    @Test
    void theDomainImportsNoFrameworkOrPersistence() {
        classes().that().resideInAPackage("dev.promoter.promote.gate..")
                .or().haveFullyQualifiedName("dev.promoter.promote.promotion.Promotion")
                .or().haveFullyQualifiedName("dev.promoter.promote.promotion.Promotion$Step")
                .or().haveFullyQualifiedName("dev.promoter.promote.promotion.Promotion$Judgement")
                .or().haveFullyQualifiedName("dev.promoter.promote.promotion.PromotionPhase")
                .or().haveFullyQualifiedName("dev.promoter.promote.promotion.SuiteVerdict")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.quarkus..", "org.hibernate..",
                        "io.vertx..", "jakarta.persistence..", "io.smallrye..", "jakarta.enterprise..")
                .check(promote);
    }

    @Test
    void promoteUsesNoOtherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.promoter.build..", "dev.promoter.test..",
                "dev.promoter.rollback..").check(promote);
    }
}
