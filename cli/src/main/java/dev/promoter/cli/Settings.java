package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each service listens and which token to present to it, and where each came from (so an error can say what
 * to change). In order of precedence: command-line flags, the environment ({@code PROMOTER_URL_BUILD|TEST|PROMOTE|
 * ROLLBACK}, {@code PROMOTER_TOKEN}, {@code PROMOTER_TOKEN_<SERVICE>}), the config file ({@code $PROMOTER_CONFIG},
 * else {@code ~/.config/promoter/config.yaml}), and last the local stack of the checkout: its {@code .pipeline}
 * state folder ({@code $PIPELINE_STATE_DIR}), whose {@code secrets.env} holds the caller's tokens, and the default
 * ports 8081-8084.
 */
public final class Settings {

    /** What the CLI was told on its command line; null where nothing was given. */
    public record Flags(Map<Service, URI> urls, String token, String caller, Path config) {
    }

    /** One service's address and token, with where the token came from ("PROMOTER_TOKEN", a file, ...). */
    public record Target(Service service, URI url, String urlSource, String token, String tokenSource) {
    }

    static final String DEFAULT_CALLER = "local";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<Service, Target> targets;
    private final String caller;

    private Settings(Map<Service, Target> targets, String caller) {
        this.targets = targets;
        this.caller = caller;
    }

    /**
     * Resolves the settings. {@code env}: the environment; {@code home}: the user's home folder; {@code checkout}:
     * the checkout whose local stack is the default (the launcher says which; else the working folder or the
     * nearest parent holding a {@code .pipeline} folder), or null.
     */
    public static Settings resolve(Flags flags, Map<String, String> env, Path home, Path checkout) {
        Path configFile = flags.config() != null ? flags.config()
                : env.containsKey("PROMOTER_CONFIG") ? Path.of(env.get("PROMOTER_CONFIG"))
                : home == null ? null : home.resolve(".config/promoter/config.yaml");
        JsonNode config = readConfig(configFile, flags.config() != null || env.containsKey("PROMOTER_CONFIG"));
        String caller = first(flags.caller(), env.get("PROMOTER_CALLER"), text(config.path("caller")),
                DEFAULT_CALLER);
        Path stateDir = env.containsKey("PIPELINE_STATE_DIR") ? Path.of(env.get("PIPELINE_STATE_DIR"))
                : checkout == null ? null : checkout.resolve(".pipeline");
        Map<String, String> secrets = stateDir == null ? Map.of() : EnvFile.read(stateDir.resolve("secrets.env"));

        Map<Service, Target> targets = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            String[] url = pick(
                    flags.urls().get(service) == null ? null : flags.urls().get(service).toString(),
                    "--" + service.word() + "-url",
                    env.get(service.urlVariable()), service.urlVariable(),
                    text(config.path("urls").path(service.word())), configFile + " urls." + service.word(),
                    "http://127.0.0.1:" + service.defaultPort(), "the local stack's default");
            String secretName = service.serviceTokenVariable(caller);
            String[] token = pick(
                    flags.token(), "--token",
                    env.get(service.tokenVariable()), service.tokenVariable(),
                    env.get("PROMOTER_TOKEN"), "PROMOTER_TOKEN",
                    text(config.path("tokens").path(service.word())), configFile + " tokens." + service.word(),
                    text(config.path("token")), configFile + " token",
                    secrets.get(secretName), stateDir + "/secrets.env " + secretName);
            URI uri;
            try {
                uri = URI.create(url[0].endsWith("/") ? url[0].substring(0, url[0].length() - 1) : url[0]);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, "the " + service.word() + " URL from " + url[1]
                        + " is not a URL: " + url[0]);
            }
            targets.put(service, new Target(service, uri, url[1], token[0], token[1]));
        }
        return new Settings(targets, caller);
    }

    /** The checkout a CLI started in {@code workingDir} belongs to: the nearest folder holding {@code .pipeline}. */
    public static Path findCheckout(Path workingDir) {
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".pipeline")) || Files.isRegularFile(dir.resolve("pipeline"))) {
                return dir;
            }
        }
        return null;
    }

    public Target target(Service service) {
        return targets.get(service);
    }

    /** The caller whose token {@code secrets.env} gives, {@code local} unless told otherwise. */
    public String caller() {
        return caller;
    }

    private static JsonNode readConfig(Path file, boolean named) {
        if (file == null || !Files.isRegularFile(file)) {
            if (named && file != null) {
                throw new CliException(CliException.USAGE, "no config file at " + file
                        + ": fix --config or PROMOTER_CONFIG");
            }
            return YAML.createObjectNode();
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            return node == null ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "the config file " + file + " is not YAML: "
                    + Optional.ofNullable(e.getMessage()).map(m -> m.lines().findFirst().orElse("")).orElse(""));
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** The first non-blank value of (value, source) pairs, with its source; {null, null} when none. */
    private static String[] pick(String... valuesAndSources) {
        for (int i = 0; i < valuesAndSources.length; i += 2) {
            if (valuesAndSources[i] != null && !valuesAndSources[i].isBlank()) {
                return new String[] {valuesAndSources[i].strip(), valuesAndSources[i + 1]};
            }
        }
        return new String[] {null, null};
    }
}
