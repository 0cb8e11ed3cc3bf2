package dev.promoter.harness;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the four services as its own JVM, run from its packaged {@code quarkus-run.jar} like in production. */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code services/<name>/target/quarkus-app/quarkus-run.jar} under {@code root} with {@code env} added
     * to a copy of this JVM's environment from which every setting the services read has been removed, so the
     * run depends on nothing but what the test gives it. {@code jvmOptions} go after the defaults (so they win).
     */
    static ServiceProcess start(Path root, String name, int port, Map<String, String> env, Path logs, Path tmp,
                                List<String> jvmOptions) {
        return start(root, name, name, port, env, logs, tmp, jvmOptions);
    }

    /**
     * Starts one replica of a service, as {@link #start(Path, String, int, Map, Path, Path, List)} does, named
     * {@code instance} (its log is {@code <instance>.log}).
     */
    static ServiceProcess start(Path root, String service, String instance, int port, Map<String, String> env,
                                Path logs, Path tmp, List<String> jvmOptions) {
        String name = service;
        Path jar = root.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; package the services first: mvn -DskipTests"
                    + " package (pipeline.root is " + root + ")");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + jvmOptionsFile(root), "-Djava.io.tmpdir=" + tmp));
        // Packaged with -Dquarkus.package.jar.appcds.enabled=true (./pipeline up and bench do): start from the
        // class archive. A stale archive is harmless: the JVM checks it against the jars and ignores it. The archive
        // records the class path as Quarkus packaged it, relative (quarkus-run.jar, lib/...): the JVM only uses it
        // when started in the app's folder with that same relative jar, so it is.
        Path classArchive = jar.resolveSibling("app-cds.jsa");
        if (Files.isRegularFile(classArchive)) {
            command.add("-XX:SharedArchiveFile=" + classArchive);
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        Path log = logs.resolve(instance + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(ServiceProcess::configuresAService);
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // One malloc arena: the services are I/O bound, and every extra arena is memory held, not speed gained.
        builder.environment().put("MALLOC_ARENA_MAX", "1");
        try {
            Files.createDirectories(tmp);
            return new ServiceProcess(instance, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The JVM options every service runs with, wherever it is started (a java @argument file). */
    public static Path jvmOptionsFile(Path root) {
        return root.resolve("infra/local/service-jvm.options");
    }

    private static boolean configuresAService(String variable) {
        return variable.startsWith("QUARKUS_") || variable.startsWith("KAFKA_") || variable.startsWith("PIPELINE_")
                || variable.startsWith("OTEL_")
                || variable.startsWith("MP_MESSAGING_") || variable.contains("_API_TOKENS_") || variable.contains("_API_ROLES_");
    }

    public String name() {
        return name;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    /** The operating system's id of the service's JVM, e.g. to read {@code /proc/<pid>/status}. */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True when {@code /q/health/ready} answers 200; fails when the process is gone, with where to read why. */
    public boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; read " + log);
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: the service crashes, with no chance to close its connections or leave its consumer groups. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, so Quarkus shuts down cleanly; SIGKILL if it has not after ten seconds. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
