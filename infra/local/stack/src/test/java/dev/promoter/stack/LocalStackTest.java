package dev.promoter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack behind `./pipeline up`: start, a second start, stop and start again. */
class LocalStackTest {

    private static final List<String> ALL = List.of("kafka", "postgres", "registry");

    @TempDir
    Path stateDir;

    private LocalStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.stop(ALL);
        }
    }

    @Test
    void startStopStartAndASecondStartIsANoOp() throws IOException {
        stack = new LocalStack(Map.of(
                "PIPELINE_STATE_DIR", stateDir.toString(),
                "PIPELINE_KAFKA_LIB", Path.of(System.getProperty("pipeline.root"), "infra/local/kafka-dist/target/lib").toString(),
                "PIPELINE_KAFKA_PORT", Integer.toString(LoopbackPorts.free()),
                "PIPELINE_KAFKA_CONTROLLER_PORT", Integer.toString(LoopbackPorts.free()),
                "PIPELINE_POSTGRES_PORT", Integer.toString(LoopbackPorts.free()),
                "PIPELINE_REGISTRY_PORT", Integer.toString(LoopbackPorts.free())));

        stack.start(ALL);
        assertThat(stack.status(ALL)).as("all parts answer after start").isTrue();
        Map<String, String> pids = pids();
        assertThat(Files.readString(stateDir.resolve("stack.env"))).contains("KAFKA_BOOTSTRAP_SERVERS=", "QUARKUS_DATASOURCE_JDBC_URL=");

        stack.start(ALL);
        assertThat(pids()).as("a second start leaves the running processes alone").isEqualTo(pids);

        stack.stop(ALL);
        assertThat(stack.status(ALL)).as("nothing answers after stop").isFalse();
        assertThat(stateDir.resolve("kafka.pid")).doesNotExist();

        stack.start(ALL);
        assertThat(stack.status(ALL)).as("all parts answer after a restart on the kept state").isTrue();
        assertThat(pids()).doesNotContainEntry("kafka", pids.get("kafka"));
    }

    private Map<String, String> pids() throws IOException {
        return Map.of(
                "kafka", Files.readString(stateDir.resolve("kafka.pid")),
                "postgres", Files.readString(stateDir.resolve("postgres.pid")),
                "registry", Files.readString(stateDir.resolve("registry.pid")));
    }
}
