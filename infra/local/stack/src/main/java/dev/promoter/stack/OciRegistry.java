package dev.promoter.stack;

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
import java.util.stream.Stream;

/**
 * The CNCF Distribution registry (Debian's docker-registry, or the upstream `registry` binary)
 * serving an OCI registry on loopback from a folder, with deletes enabled.
 */
public final class OciRegistry {

    private static final List<String> BINARIES = List.of("docker-registry", "registry");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path stateDir;
    private final int port;
    private final ManagedProcess process;

    public OciRegistry(Path stateDir, int port) {
        this.stateDir = stateDir;
        this.port = port;
        this.process = new ManagedProcess("registry", stateDir);
    }

    /** host:port as image references spell it, e.g. {@code 127.0.0.1:15000}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    public ManagedProcess process() {
        return process;
    }

    /** Starts the registry unless it already runs; returns once {@code GET /v2/} answers 200. */
    public boolean start(boolean detached) {
        if (process.running().isPresent()) {
            return false;
        }
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "no OCI registry binary found on PATH (looked for " + BINARIES + "); on Debian/Ubuntu run"
                        + " `apt-get install docker-registry`, elsewhere install the `registry` binary of"
                        + " github.com/distribution/distribution"));
        Path config = writeConfig();
        Process started = process.start(List.of(binary.toString(), "serve", config.toString()), stateDir, detached);
        Readiness.await("OCI registry on " + hostPort(), Duration.ofSeconds(30), () -> answers(port),
                started.toHandle(), process.logFile());
        return true;
    }

    public boolean stop() {
        return process.stop();
    }

    static boolean answers(int port) {
        try {
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                    .timeout(Duration.ofSeconds(1)).GET().build();
            return HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":"))
                .flatMap(dir -> BINARIES.stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private Path writeConfig() {
        String yaml = """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:%d
                """.formatted(stateDir.resolve("registry-data").toAbsolutePath(), port);
        try {
            Files.createDirectories(stateDir);
            Path file = stateDir.resolve("registry.yml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
