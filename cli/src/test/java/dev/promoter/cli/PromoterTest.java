package dev.promoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling, configuration and the one-line errors, without any service. */
class PromoterTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Promoter.run(args, new Promoter.Environment(env, dir, dir, Clock.systemUTC()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void usageErrorsEndWithStatus2AndSayWhatIsMissing() {
        Run run = run(Map.of(), "approve", "shop-cart");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'STAGE'");

        assertThat(run(Map.of(), "rollback", "shop-cart", "prod").err()).contains("Missing required option: '--reason=REASON'");
        assertThat(run(Map.of(), "status", "-o", "xml").status()).isEqualTo(2);
        assertThat(run(Map.of(), "quarantine").status()).isEqualTo(2);
        assertThat(run(Map.of(), "watch", "--interval", "soon").err())
                .contains("--interval takes a duration like 500ms, 2s, 5m or 1h, not soon");
    }

    @Test
    void anUnreachableServiceEndsWithStatus3NamingItsUrlAndPipelineUp() throws IOException {
        int port = closedPort();
        Run run = run(Map.of("PROMOTER_URL_PROMOTE", "http://127.0.0.1:" + port), "status", "shop-cart");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).startsWith("promoter: cannot reach the promote service at http://127.0.0.1:" + port)
                .contains("./pipeline up").contains("PROMOTER_URL_PROMOTE (now from PROMOTER_URL_PROMOTE)");
    }

    @Test
    void settingsComeFromFlagsThenEnvironmentThenConfigFileThenTheLocalStack() throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(checkout.resolve(".pipeline"));
        Files.writeString(checkout.resolve(".pipeline/secrets.env"), """
                # tokens
                BUILD_API_TOKENS_LOCAL='local-build'
                PROMOTE_API_TOKENS_LOCAL='local-promote'
                PROMOTE_API_TOKENS_VIEWER='viewer-promote'
                """);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                urls:
                  rollback: http://rollback.example:9000/
                tokens:
                  rollback: file-rollback
                """);
        Map<Service, URI> noUrls = new EnumMap<>(Service.class);

        Settings local = Settings.resolve(new Settings.Flags(noUrls, null, null, null), Map.of(), dir, checkout);
        assertThat(local.target(Service.PROMOTE).url()).hasToString("http://127.0.0.1:8083");
        assertThat(local.target(Service.PROMOTE).token()).isEqualTo("local-promote");
        assertThat(local.target(Service.PROMOTE).tokenSource()).endsWith("secrets.env PROMOTE_API_TOKENS_LOCAL");
        assertThat(local.target(Service.TEST).token()).isNull();

        Settings viewer = Settings.resolve(new Settings.Flags(noUrls, null, "viewer", null), Map.of(), dir, checkout);
        assertThat(viewer.target(Service.PROMOTE).token()).isEqualTo("viewer-promote");

        Settings configured = Settings.resolve(new Settings.Flags(noUrls, null, null, null),
                Map.of("PROMOTER_CONFIG", config.toString(), "PROMOTER_TOKEN", "env-token"), dir, checkout);
        assertThat(configured.target(Service.ROLLBACK).url()).hasToString("http://rollback.example:9000");
        assertThat(configured.target(Service.ROLLBACK).token()).isEqualTo("env-token");
        assertThat(configured.target(Service.BUILD).token()).isEqualTo("env-token");

        Map<Service, URI> flagUrls = new EnumMap<>(Service.class);
        flagUrls.put(Service.ROLLBACK, URI.create("http://flag:1"));
        Settings flagged = Settings.resolve(new Settings.Flags(flagUrls, "flag-token", null, config),
                Map.of("PROMOTER_URL_ROLLBACK", "http://env:2", "PROMOTER_TOKEN_ROLLBACK", "env-rollback"), dir, checkout);
        assertThat(flagged.target(Service.ROLLBACK).url()).hasToString("http://flag:1");
        assertThat(flagged.target(Service.ROLLBACK).token()).isEqualTo("flag-token");
        assertThat(flagged.target(Service.ROLLBACK).tokenSource()).isEqualTo("--token");
    }

    @Test
    void aNamedConfigFileThatIsMissingIsAUsageError() {
        Run run = run(Map.of("PROMOTER_CONFIG", dir.resolve("nope.yaml").toString()), "status");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no config file at").contains("fix --config or PROMOTER_CONFIG");
    }

    @Test
    void refusalsSayWhatToDoInOneLine() {
        Settings.Target withLocalToken = new Settings.Target(Service.PROMOTE, URI.create("http://127.0.0.1:8083"),
                "default", "t", "/x/.pipeline/secrets.env PROMOTE_API_TOKENS_LOCAL");
        Settings.Target withoutToken = new Settings.Target(Service.ROLLBACK, URI.create("http://127.0.0.1:8084"),
                "default", null, null);

        assertThat(Api.refusal(withoutToken, "POST /x", 401, "", "operator", "local").getMessage())
                .startsWith("no token for the rollback service (401): set PROMOTER_TOKEN (or PROMOTER_TOKEN_ROLLBACK)");
        assertThat(Api.refusal(withLocalToken, "POST /x", 401, "", "operator", "local").getMessage())
                .contains("did not accept the token from /x/.pipeline/secrets.env PROMOTE_API_TOKENS_LOCAL (401)")
                .contains("./pipeline down && ./pipeline up");
        assertThat(Api.refusal(withLocalToken, "POST /x", 403,
                "{\"status\":403,\"title\":\"Forbidden\",\"detail\":\"you are not among the approvers of prod\"}",
                "approver", "viewer").getMessage())
                .isEqualTo("the promote service refused POST /x (403): you are not among the approvers of prod"
                        + " — the call needs role approver; ask an admin to give caller viewer that role");
        assertThat(Api.refusal(withLocalToken, "POST /api/v1/stop-the-line", 404, "", "operator", "local").getMessage())
                .isEqualTo("the promote service at http://127.0.0.1:8083 does not offer POST /api/v1/stop-the-line"
                        + " (404): it is older than this CLI");
        CliException invalid = Api.refusal(withLocalToken, "PUT /p", 400, "{\"status\":400,\"title\":\"Bad Request\","
                + "\"detail\":\"the pipeline definition is invalid; nothing was saved\",\"errors\":[\"stages: a, b\"]}",
                "admin", "local");
        assertThat(invalid.getMessage()).isEqualTo("the promote service refused PUT /p (400 Bad Request): the pipeline"
                + " definition is invalid; nothing was saved: stages: a, b");
        assertThat(invalid.exitCode()).isEqualTo(1);
    }

    @Test
    void theDefinitionDiffShowsOnlyRealChanges() {
        assertThat(DefinitionCommands.diff(List.of("a", "b", "c"), List.of("a", "x", "c", "d")))
                .containsExactly(" a", "-b", "+x", " c", "+d");
        assertThat(DefinitionCommands.withContext(List.of(" 1", " 2", " 3", " 4", "-5", "+6", " 7", " 8", " 9", " 10"), 2))
                .containsExactly(" 3", " 4", "-5", "+6", " 7", " 8", " …");
        assertThat(DefinitionCommands.canonical("# comment\napplication: 'shop'\nstages: [ {name: dev} ]\n"))
                .isEqualTo(DefinitionCommands.canonical("application: shop\nstages:\n  - name: dev\n"));
    }

    @Test
    void defineRefusesAFileOfAnotherApplicationBeforeCallingAnything() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), "application: other\nstages: []\n");
        Run run = run(Map.of("PROMOTER_URL_PROMOTE", "http://127.0.0.1:1"), "define", "shop-cart", "-f",
                file.toString(), "--dry-run");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("promoter: the file defines application other, not shop-cart\n");
    }

    @Test
    void completionIsGeneratedForBash() {
        Run run = run(Map.of(), "generate-completion");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("complete -F _complete_promoter").contains("stop-the-line");
    }
}
