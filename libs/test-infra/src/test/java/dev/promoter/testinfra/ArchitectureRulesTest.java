package dev.promoter.testinfra;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules catch what they are for, on small fixtures, and let a clean service be. */
class ArchitectureRulesTest {

    private static JavaClasses classes(String suffix) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.promoter.archfixture." + suffix);
    }

    private static final String ELSEWHERE = "dev.promoter.archfixture.elsewhere..";

    @Test
    void aPackageCycleIsRefused() {
        assertThatThrownBy(() -> ArchitectureRules.check(classes("cycle"), "dev.promoter.archfixture.cycle", ELSEWHERE))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    @Test
    void aDomainClassUsingQuarkusIsRefused() {
        assertThatThrownBy(() -> ArchitectureRules.check(classes("domain"), "dev.promoter.archfixture.domain", ELSEWHERE))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Decision")
                .hasMessageContaining("io.quarkus.runtime.StartupEvent");
    }

    @Test
    void aServiceUsingAnotherServiceIsRefused() {
        assertThatThrownBy(() -> ArchitectureRules.check(classes("calls"), "dev.promoter.archfixture.calls", ELSEWHERE))
                .isInstanceOf(AssertionError.class).hasMessageContaining("OtherService");
    }

    @Test
    void adaptersMayUseTheFrameworkAndPlainClassesBesideThemPass() {
        assertThatCode(() -> ArchitectureRules.check(classes("clean"), "dev.promoter.archfixture.clean", ELSEWHERE))
                .doesNotThrowAnyException();
    }
}
