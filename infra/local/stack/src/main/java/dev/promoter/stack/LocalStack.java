package dev.promoter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Command line behind infra/local/stack.sh: {@code start|stop|status [kafka|postgres|registry]}.
 * Settings come from the environment (see infra/local/README.md); a part given by address
 * (PIPELINE_KAFKA_BOOTSTRAP, PIPELINE_POSTGRES_URL, PIPELINE_REGISTRY) is used, not started.
 */
public final class LocalStack {

    private static final List<String> PARTS = List.of("kafka", "postgres", "registry");

    private final Map<String, String> env;
    private final Path stateDir;

    LocalStack(Map<String, String> env) {
        this.env = env;
        this.stateDir = Path.of(env.getOrDefault("PIPELINE_STATE_DIR", ".pipeline")).toAbsolutePath();
    }

    public static void main(String[] args) {
        if (args.length == 0 || !List.of("start", "stop", "status").contains(args[0])) {
            System.err.println("usage: stack.sh start|stop|status [kafka|postgres|registry]...");
            System.exit(2);
        }
        List<String> parts = args.length > 1 ? List.of(args).subList(1, args.length) : PARTS;
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                System.err.println("unknown part '" + part + "'; choose from " + PARTS);
                System.exit(2);
            }
        }
        LocalStack stack = new LocalStack(System.getenv());
        try {
            switch (args[0]) {
                case "start" -> stack.start(parts);
                case "stop" -> stack.stop(reversed(parts));
                default -> {
                    if (!stack.status(parts)) {
                        System.exit(3);
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    void start(List<String> parts) {
        // Side by side, each waiting for its own readiness: the stack is up as soon as its slowest part is.
        Map<String, CompletableFuture<Boolean>> starting = new LinkedHashMap<>();
        for (String part : parts) {
            if (externalAddress(part) == null) {
                starting.put(part, CompletableFuture.supplyAsync(() -> switch (part) {
                    case "kafka" -> kafka().start(true);
                    case "postgres" -> startPostgres();
                    default -> registry().start(true);
                }));
            }
        }
        for (String part : parts) {
            String external = externalAddress(part);
            if (external != null) {
                System.out.printf("%-9s given at %s (not started here)%n", part, external);
                continue;
            }
            boolean started;
            try {
                started = starting.get(part).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            System.out.printf("%-9s %s %s%n", part, started ? "started on" : "already running on", address(part));
        }
        if (parts.contains("postgres") && externalAddress("postgres") == null) {
            PostgresServer.createDatabase(PostgresServer.jdbcUrl(port("PIPELINE_POSTGRES_PORT", 15432), "postgres"),
                    PostgresServer.USER, "", "pipeline");
        }
        writeEnvFile();
        System.out.println("state and logs: " + stateDir);
    }

    void stop(List<String> parts) {
        for (String part : parts) {
            if (externalAddress(part) != null) {
                continue;
            }
            boolean stopped = switch (part) {
                case "kafka" -> kafka().stop();
                case "postgres" -> new ManagedProcess("postgres", stateDir).stop();
                default -> registry().stop();
            };
            System.out.printf("%-9s %s%n", part, stopped ? "stopped" : "was not running");
        }
    }

    boolean status(List<String> parts) {
        boolean allUp = true;
        for (String part : parts) {
            boolean up = switch (part) {
                case "kafka" -> kafka().answers();
                case "postgres" -> externalAddress(part) != null || PostgresServer.answers(port("PIPELINE_POSTGRES_PORT", 15432));
                default -> OciRegistry.answers(port("PIPELINE_REGISTRY_PORT", 15000)) || externalAddress(part) != null;
            };
            allUp &= up;
            System.out.printf("%-9s %-5s %s%n", part, up ? "up" : "down", address(part));
        }
        return allUp;
    }

    private boolean startPostgres() {
        ManagedProcess holder = new ManagedProcess("postgres", stateDir);
        if (holder.running().isPresent()) {
            return false;
        }
        int port = port("PIPELINE_POSTGRES_PORT", 15432);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + stateDir.resolve("tmp"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                PostgresServer.class.getName(), stateDir.resolve("postgres-data").toString(), Integer.toString(port)));
        createDirectories(stateDir.resolve("tmp"));
        Process started = holder.start(command, stateDir, true);
        Readiness.await("PostgreSQL on 127.0.0.1:" + port, Duration.ofSeconds(60), () -> PostgresServer.answers(port),
                started.toHandle(), holder.logFile());
        return true;
    }

    private KafkaBroker kafka() {
        Path libDir = Path.of(env.getOrDefault("PIPELINE_KAFKA_LIB", "infra/local/kafka-dist/target/lib"));
        return new KafkaBroker(new KafkaBroker.Settings(stateDir, port("PIPELINE_KAFKA_PORT", 19092),
                port("PIPELINE_KAFKA_CONTROLLER_PORT", 19093), libDir, 6, false));
    }

    private OciRegistry registry() {
        return new OciRegistry(stateDir, port("PIPELINE_REGISTRY_PORT", 15000));
    }

    private String externalAddress(String part) {
        return switch (part) {
            case "kafka" -> env.get("PIPELINE_KAFKA_BOOTSTRAP");
            case "postgres" -> env.get("PIPELINE_POSTGRES_URL");
            default -> env.get("PIPELINE_REGISTRY");
        };
    }

    private String address(String part) {
        String external = externalAddress(part);
        if (external != null) {
            return external;
        }
        return switch (part) {
            case "kafka" -> "127.0.0.1:" + port("PIPELINE_KAFKA_PORT", 19092);
            case "postgres" -> PostgresServer.jdbcUrl(port("PIPELINE_POSTGRES_PORT", 15432), "pipeline");
            default -> "http://127.0.0.1:" + port("PIPELINE_REGISTRY_PORT", 15000);
        };
    }

    /** The addresses the services are started with, as shell variable assignments Quarkus reads. */
    private void writeEnvFile() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("KAFKA_BOOTSTRAP_SERVERS", address("kafka").replaceFirst("^PLAINTEXT://", ""));
        String jdbc = address("postgres");
        vars.put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
        vars.put("QUARKUS_DATASOURCE_REACTIVE_URL", jdbc.replaceFirst("^jdbc:", ""));
        vars.put("QUARKUS_DATASOURCE_USERNAME", env.getOrDefault("PIPELINE_POSTGRES_USER", PostgresServer.USER));
        vars.put("PIPELINE_REGISTRY_ADDRESS", address("registry").replaceFirst("^https?://", ""));
        StringBuilder text = new StringBuilder("# written by infra/local/stack.sh start\n");
        vars.forEach((k, v) -> text.append(k).append("='").append(v).append("'\n"));
        // Written aside and moved in place: ./pipeline up starts the services (which read it) while Kafka's start,
        // which writes it again, is still running.
        try {
            Path written = Files.writeString(stateDir.resolve("stack.env.tmp"), text);
            Files.move(written, stateDir.resolve("stack.env"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int port(String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number 1-65535, got '" + value + "'");
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> reversed(List<String> parts) {
        List<String> copy = new ArrayList<>(parts);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
