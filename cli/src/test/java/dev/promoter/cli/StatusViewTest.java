package dev.promoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stage histories print like rpm-ostree's deployments: current marked, rollback target and quarantine shown. */
class StatusViewTest {

    static final String V1 = "sha256:" + "a".repeat(64);
    static final String V2 = "sha256:" + "b".repeat(64);
    static final String V3 = "sha256:" + "c".repeat(64);

    static JsonNode application() throws Exception {
        return new ObjectMapper().readTree("""
                {"application":"shop-cart","stages":[
                  {"name":"stage","quarantined":[],"pending":[],"history":[
                    {"digest":"%2$s","current":true,"rollbackTarget":false,"previousDigest":"%1$s",
                     "reason":"nothing to test in test","actor":"pipeline","movedAt":"2026-01-01T10:00:05Z"},
                    {"digest":"%1$s","current":false,"rollbackTarget":true,
                     "reason":"nothing to test in test","actor":"pipeline","movedAt":"2026-01-01T10:00:01Z"}]},
                  {"name":"prod","quarantined":["%2$s"],
                   "pin":{"digest":"%1$s","by":"api:ops","reason":"release freeze","at":"2026-01-01T10:00:20Z"},
                   "pending":[{"digest":"%3$s","from":"stage","blockedBecause":"pinned at v1 by api:ops"}],
                   "history":[
                    {"digest":"%1$s","current":true,"rollbackTarget":false,"previousDigest":"%2$s","rollbackOf":"%2$s",
                     "reason":"health check failed","actor":"rollback","movedAt":"2026-01-01T10:00:09Z"},
                    {"digest":"%2$s","current":false,"rollbackTarget":false,"previousDigest":"%1$s",
                     "reason":"nothing to test in stage","actor":"pipeline","movedAt":"2026-01-01T10:00:06Z"}]}]}
                """.formatted(V1, V2, V3));
    }

    @Test
    void marksWhatEachStageRunsItsRollbackTargetItsQuarantinedDigestsPinsAndWaitingDigests() throws Exception {
        JsonNode prodHealth = new ObjectMapper().readTree("""
                {"health":"watching","deployments":[
                  {"digest":"%1$s","rollbackOf":"%2$s","healthy":false},
                  {"digest":"%2$s","healthy":false,"unhealthyAt":"2026-01-01T10:00:08Z","evidence":"HTTP 503"}]}
                """.formatted(V1, V2));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new StatusView(Map.of(V1, "v1", V2, "v2"), Instant.parse("2026-01-01T10:00:30Z"))
                .print(application(), null, stage -> stage.equals("prod") ? prodHealth : null,
                        new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("""
                stage
                ● v2 sha256:bbbbbbbbbbbb
                """);
        assertThat(text).contains("  v1 sha256:aaaaaaaaaaaa  (rollback target)\n");
        assertThat(text).contains("prod  (health: watching)\n");
        assertThat(text).containsPattern("pinned at v1 sha256:aaaaaaaaaaaa by api:ops \\d\\d:\\d\\d:20 \\(10s ago\\):"
                + " release freeze");
        assertThat(text).contains("  waiting: sha256:cccccccccccc from stage — pinned at v1 by api:ops\n");
        assertThat(text).contains("● v1 sha256:aaaaaaaaaaaa\n");
        assertThat(text).containsPattern("RollbackOf: v2 sha256:bbbbbbbbbbbb\n\\s+Reason: health check failed\n");
        assertThat(text).contains("  v2 sha256:bbbbbbbbbbbb  (quarantined)\n");
        assertThat(text).containsPattern("Health: unhealthy at \\d\\d:\\d\\d:08 \\(22s ago\\): HTTP 503");
        assertThat(text).contains("(21s ago) by rollback");
    }

    @Test
    void aHeldMoveSaysSoAndOneStageCanBeShownAlone() throws Exception {
        JsonNode prodHealth = new ObjectMapper().readTree("""
                {"health":"held","deployments":[{"digest":"%1$s","rollbackOf":"%2$s","held":true,
                  "heldReason":"no healthy digest to go back to"}]}
                """.formatted(V1, V2));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new StatusView(Map.of(), Instant.parse("2026-01-03T10:00:30Z"))
                .print(application(), "prod", stage -> prodHealth, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\nstage\n");
        assertThat(text).contains("prod  (health: held)");
        assertThat(text).contains("Health: held: unhealthy with nothing to go back to: no healthy digest to go back to");
        assertThat(text).containsPattern("Moved: 2026-01-01 \\d\\d:\\d\\d \\(2d ago\\) by rollback");
    }
}
