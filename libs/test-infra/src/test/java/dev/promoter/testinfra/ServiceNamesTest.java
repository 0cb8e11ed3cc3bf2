package dev.promoter.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same simple class name never means two things in two services (issue 18, item 7). A scan of the services' main
 * sources (no module has all four services on its classpath, and a scan costs nothing beside ArchUnit's import): every
 * top-level type name found in more than one service must be one of the names below, each of which means the same
 * thing wherever it appears. docs/decisions.md says why each is allowed.
 */
class ServiceNamesTest {

    /** Names that mean the same thing in every service that has one, and why. */
    static final Map<String, String> SAME_MEANING = Map.of(
            "AccessProducer", "each service's producer of its Access (tokens and roles), configured the same way",
            "Channels", "each service's constants class of its channel names (STYLE: one per service)",
            "PromotionsConsumer", "each service's consumer of the promotions topic",
            "Deployment", "one move of a stage's tag in the deployment history, as each service keeps its own copy",
            "DeploymentRepository", "the repository of those moves",
            "Quarantine", "a digest that failed health in a stage, as each service keeps its own copy",
            "QuarantineRepository", "the repository of those quarantines",
            "StageHistory", "a stage's deployment history as the service's API answers it");

    @Test
    void aSimpleNameUsedByTwoServicesMeansOneThing() {
        Map<String, Set<String>> servicesByName = servicesByName(repositoryRoot().resolve("services"));
        assertThat(servicesByName).as("the scan found the services' classes").containsKeys("SuiteRun", "Promotion");

        Map<String, Set<String>> clashes = new TreeMap<>();
        servicesByName.forEach((name, services) -> {
            if (services.size() > 1 && !SAME_MEANING.containsKey(name)) {
                clashes.put(name, services);
            }
        });
        assertThat(clashes).as("simple names found in several services that mean different things there: rename one,"
                + " or add the name to SAME_MEANING (and docs/decisions.md) if it means the same thing").isEmpty();
    }

    @Test
    void everyAllowedNameIsStillSharedByTwoServices() {
        Map<String, Set<String>> servicesByName = servicesByName(repositoryRoot().resolve("services"));
        assertThat(SAME_MEANING.keySet()).as("allowed names no longer shared are dropped from the list")
                .allSatisfy(name -> assertThat(servicesByName.getOrDefault(name, Set.of())).hasSizeGreaterThan(1));
    }

    /** Top-level type name -> the services whose main sources declare it ({@code services/<name>/src/main/java}). */
    static Map<String, Set<String>> servicesByName(Path services) {
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(services)) {
            for (Path service : dirs.filter(Files::isDirectory).toList()) {
                Path sources = service.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .map(f -> f.getFileName().toString().replaceFirst("\\.java$", ""))
                            .filter(name -> !name.equals("package-info"))
                            .forEach(name -> found.computeIfAbsent(name, n -> new TreeSet<>())
                                    .add(service.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The checkout this module lives in: the first parent directory holding {@code services/}. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("services")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no services/ directory above " + Path.of("").toAbsolutePath());
    }
}
