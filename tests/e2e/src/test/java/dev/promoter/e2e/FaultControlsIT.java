package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.promoter.harness.LocalPipeline;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness's fault controls do what they say: a stopped part is down, a started one answers again on the same
 * port with the data it had, the registry's proxy answers 503 when told to while the registry itself still
 * answers, and the pipeline carries an artifact afterwards. Other stories and {@code ./pipeline chaos} build on
 * these controls.
 */
class FaultControlsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static LocalPipeline pipeline;
    static RegistryClient registry;

    @BeforeAll
    static void startPipeline() {
        // The shared stack: every part stopped here is started again before the test ends.
        pipeline = SharedStack.pipeline();
        registry = pipeline.registry();
    }

    @Test
    void stoppedPartsAreDownAndStartedOnesAnswerWithTheirData() throws Exception {
        String app = "faults";
        String repository = "e2e/faults";
        pipeline.api().definePipeline(app, "application: " + app + "\nrepository: " + pipeline.registryAddress() + "/"
                + repository + "\nstages:\n  - name: dev\n");
        String digest = new ImageBuilder(registry).file("/app/version.txt", "faults 1\n").push(repository, "build-1");
        String direct = registry.registry();
        String proxied = pipeline.registryAddress();
        assertThat(proxied).as("the services reach the registry through the proxy").isNotEqualTo(direct);

        // The registry answers 503 through the proxy, and only through it.
        pipeline.registryAnswersUnavailable(true);
        HttpResponse<String> unavailable = get(proxied);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
        assertThat(get(direct).statusCode()).isEqualTo(200);
        pipeline.registryAnswersUnavailable(false);
        assertThat(get(proxied).statusCode()).isEqualTo(200);

        // Stopped, the registry refuses connections, directly and through the proxy; started, it has its images.
        pipeline.stopRegistry();
        assertThatThrownBy(() -> get(direct)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(proxied)).isInstanceOf(IOException.class);
        pipeline.startRegistry();
        assertThat(get(proxied).statusCode()).isEqualTo(200);
        assertThat(registry.head(repository, "build-1").map(ManifestRef::digest)).contains(digest);

        // PostgreSQL, stopped, takes no connections; started, it has its databases.
        pipeline.stopPostgres();
        assertThatThrownBy(PostgresCheck::connect).isInstanceOf(SQLException.class);
        pipeline.startPostgres();
        assertThat(PostgresCheck.databases()).as("databases after the restart").isGreaterThan(3);

        // The broker, stopped or crashed, does not answer; started, it does.
        pipeline.stopKafka();
        assertThat(pipeline.kafkaAnswers()).as("Kafka answers after a stop").isFalse();
        pipeline.startKafka();
        assertThat(pipeline.kafkaAnswers()).as("Kafka answers after a start").isTrue();
        pipeline.killKafka();
        assertThat(pipeline.kafkaAnswers()).as("Kafka answers after kill -9").isFalse();
        pipeline.startKafka();
        assertThat(pipeline.kafkaAnswers()).as("Kafka answers after a start").isTrue();

        // Everything came back where it was: the definition kept in PostgreSQL, the image kept in the registry, the
        // topics kept in Kafka carry a build reported now into dev.
        pipeline.api().reportBuild(app, proxied + "/" + repository, digest, "%040x".formatted(1), "e2e");
        await("the build in dev after the restarts (log: " + pipeline.log("promote") + ")")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> registry.head(repository, "dev").map(ManifestRef::digest).equals(Optional.of(digest)));
    }

    private static HttpResponse<String> get(String hostPort) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class PostgresCheck {

        static Connection connect() throws SQLException {
            return DriverManager.getConnection(pipeline.postgresJdbcUrl("postgres"), "postgres", "");
        }

        /** How many databases the server has (postgres, two templates, and the pipeline's). */
        static int databases() throws SQLException {
            try (Connection c = connect(); var count = c.createStatement().executeQuery("select count(*) from pg_database")) {
                count.next();
                return count.getInt(1);
            }
        }
    }
}
