package dev.promoter.testinfra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;

/**
 * The structure every service keeps (issue 18, item 7), checked with ArchUnit over the service's main classes:
 * no package cycles; domain classes (neither beans, entities, REST resources nor config mappings) import no
 * Quarkus, Hibernate, Vert.x or JPA; no service imports another service. Each service runs them from a plain
 * JUnit test: {@code ArchitectureRules.check("build")}.
 */
public final class ArchitectureRules {

    /** The services under {@code dev.promoter.<name>}. */
    public static final List<String> SERVICES = List.of("build", "test", "promote", "rollback");

    /** What a domain class may not use: the frameworks stay in adapters. */
    static final String[] FRAMEWORKS = {"io.quarkus..", "org.hibernate..", "io.vertx..", "jakarta.persistence.."};

    /** Annotations that make a class an adapter (bean, entity, resource, provider, config) rather than domain. */
    private static final List<String> ADAPTER_ANNOTATIONS = List.of(
            "jakarta.enterprise.context.ApplicationScoped", "jakarta.enterprise.context.RequestScoped",
            "jakarta.enterprise.context.Dependent", "jakarta.inject.Singleton", "jakarta.persistence.Entity",
            "jakarta.persistence.Embeddable", "jakarta.persistence.MappedSuperclass", "jakarta.ws.rs.Path",
            "jakarta.ws.rs.ext.Provider", "io.smallrye.config.ConfigMapping", "jakarta.annotation.Priority",
            "io.quarkus.runtime.Startup");

    private ArchitectureRules() {
    }

    /** Checks every rule over {@code dev.promoter.<service>}; fails with ArchUnit's list of violations. */
    public static void check(String service) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.promoter." + service);
        check(classes, "dev.promoter." + service, SERVICES.stream().filter(s -> !s.equals(service))
                .map(s -> "dev.promoter." + s + "..").toArray(String[]::new));
    }

    static void check(JavaClasses classes, String base, String... otherServices) {
        slices().matching(base + ".(*)..").should().beFreeOfCycles().check(classes);
        noClasses().that().resideInAPackage(base + "..").and(domain())
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("domain classes are plain Java, tested without Quarkus; frameworks stay in adapters")
                .check(classes);
        noClasses().that().resideInAPackage(base + "..").should().dependOnClassesThat()
                .resideInAnyPackage(otherServices)
                .because("a service depends on contracts and libs, never on another service").check(classes);
    }

    /** Neither an adapter itself nor nested in one (a resource's request record is the resource's business). */
    static DescribedPredicate<JavaClass> domain() {
        return DescribedPredicate.describe("are domain classes (no bean, entity, resource or config mapping)",
                javaClass -> !isAdapter(javaClass));
    }

    private static boolean isAdapter(JavaClass javaClass) {
        for (JavaClass c = javaClass; c != null; c = c.getEnclosingClass().orElse(null)) {
            for (String annotation : ADAPTER_ANNOTATIONS) {
                if (c.isAnnotatedWith(annotation) || c.isMetaAnnotatedWith(annotation)) {
                    return true;
                }
            }
        }
        return false;
    }
}
