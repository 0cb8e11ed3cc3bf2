package dev.promoter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The sample app as a detached process of the local stack (pid and log under {@code $PIPELINE_STATE_DIR}),
 * so it keeps answering health probes after the demo ends, until {@code ./pipeline down}.
 */
final class SampleAppProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final Path stateDir;
    private final int port;

    SampleAppProcess(Path stateDir, int port) {
        this.stateDir = stateDir;
        this.port = port;
    }

    Path pidFile() {
        return stateDir.resolve("sample-app.pid");
    }

    Path logFile() {
        return stateDir.resolve("logs").resolve("sample-app.log");
    }

    /**
     * Makes sure a sample app serves {@code registry/repository} on the port: leaves one that already does
     * alone, starts one otherwise. Returns true when it started one.
     */
    boolean ensureRunning(String registry, String repository) {
        Optional<String> serving = servedRepository();
        if (serving.isPresent()) {
            if (serving.get().equals(registry + "/" + repository)) {
                return false;
            }
            throw new DemoFailure("port " + port + " answers for " + serving.get() + ", not " + registry + "/"
                    + repository, "stop it (./pipeline down) or give the demo another port with"
                    + " PIPELINE_SAMPLE_APP_PORT");
        }
        Process process = start(registry, repository);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (servedRepository().isEmpty()) {
            if (!process.isAlive()) {
                throw new DemoFailure("the sample app exited during start-up", "read " + logFile());
            }
            if (System.nanoTime() > deadline) {
                throw new DemoFailure("the sample app did not answer on port " + port + " within 15 s",
                        "read " + logFile());
            }
            Pause.briefly();
        }
        return true;
    }

    private Process start(String registry, String repository) {
        List<String> command = List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                SampleApp.class.getName(), "--registry", registry, "--repository", repository,
                "--port", Integer.toString(port));
        try {
            Files.createDirectories(logFile().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Files.writeString(pidFile(), Long.toString(process.pid()));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sample app: " + e.getMessage(), e);
        }
    }

    /** The repository the app on the port serves, if one answers there. */
    private Optional<String> servedRepository() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.of("an unknown service (" + response.statusCode() + " on /)");
            }
            JsonNode body = JSON.readTree(response.body());
            return Optional.of(body.path("repository").asText("an unknown service"));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
