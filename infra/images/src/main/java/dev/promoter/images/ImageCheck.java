package dev.promoter.images;

import dev.promoter.stack.KafkaBroker;
import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code ./pipeline images --check}: runs pushed service images one after the other with {@link ImageRun} against a
 * Kafka broker and a PostgreSQL server of its own (on free loopback ports) and waits until each one's
 * {@code /q/health/ready} answers 200 UP, which needs its database schema migrated and the broker reached. Arguments:
 * registry host:port, tag, work folder, Kafka's lib folder (infra/local/kafka-dist/target/lib), repositories. Exit
 * status 0 when every one was ready.
 */
public final class ImageCheck {

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private ImageCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ImageCheck <registry> <tag> <work dir> <kafka lib dir> <repository>...");
            System.exit(2);
        }
        Path work = Path.of(args[2]).toAbsolutePath();
        if (Files.exists(work)) {
            RootFs.deleteRecursively(work);
        }
        Files.createDirectories(work);
        KafkaBroker kafka = new KafkaBroker(new KafkaBroker.Settings(work.resolve("kafka"), LoopbackPorts.free(),
                LoopbackPorts.free(), Path.of(args[3]), 2, false));
        int failed = 0;
        try (PostgresServer postgres = PostgresServer.start(work.resolve("postgres"), LoopbackPorts.free(), false)) {
            kafka.start(false);
            PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", "pipeline");
            for (int i = 4; i < args.length; i++) {
                failed += check(args[0], args[i], args[1], work.resolve(args[i].replace('/', '-')), kafka, postgres);
            }
        } finally {
            kafka.stop();
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int check(String registry, String repository, String tag, Path work, KafkaBroker kafka,
                             PostgresServer postgres) throws Exception {
        int status = 1;
        Files.createDirectories(work);
        Instant unpacking = Instant.now();
        try (ImageRun run = ImageRun.unpack(registry, repository, tag, work.resolve("rootfs"))) {
            System.out.printf("unpacked %s/%s:%s in %.1f s: %s as user %s in %s%n", registry, repository, tag,
                    Duration.between(unpacking, Instant.now()).toMillis() / 1000.0, run.config().command(),
                    run.config().user(), run.config().workingDir());
            int port = LoopbackPorts.free();
            Path log = work.resolve("service.log");
            Files.deleteIfExists(log);
            Instant started = Instant.now();
            Process process = run.start(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("pipeline"),
                    "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.jdbcUrl("pipeline").replaceFirst("^jdbc:", ""),
                    "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER,
                    "PIPELINE_REGISTRY_ADDRESS", registry,
                    "PIPELINE_TOPICS_MAX_PARTITIONS", "2"), log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
            String answer = "no answer";
            while (Instant.now().isBefore(started.plus(READY_WITHIN)) && process.isAlive()) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready)
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    answer = response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
                    if (response.statusCode() == 200) {
                        status = 0;
                        break;
                    }
                } catch (java.io.IOException e) {
                    answer = "no answer (" + e.getClass().getSimpleName() + ")";
                }
                Thread.sleep(500);
            }
            System.out.printf("%s after %.1f s: %s%n", ready, Duration.between(started, Instant.now()).toMillis()
                    / 1000.0, answer);
            if (status != 0) {
                System.out.println("not ready; the service's output is in " + log
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
        }
        return status;
    }
}
