package dev.promoter.demo;

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
class DeploymentsViewTest {

    static final String V1 = "sha256:" + "a".repeat(64);
    static final String V2 = "sha256:" + "b".repeat(64);

    @Test
    void marksWhatEachStageRunsItsRollbackTargetAndItsQuarantinedDigests() throws Exception {
        JsonNode application = new ObjectMapper().readTree("""
                {"application":"shop-cart","stages":[
                  {"name":"stage","quarantined":[],"history":[
                    {"digest":"%2$s","current":true,"rollbackTarget":false,"previousDigest":"%1$s",
                     "reason":"nothing to test in test","actor":"pipeline","movedAt":"2026-01-01T10:00:05Z"},
                    {"digest":"%1$s","current":false,"rollbackTarget":true,
                     "reason":"nothing to test in test","actor":"pipeline","movedAt":"2026-01-01T10:00:01Z"}]},
                  {"name":"prod","quarantined":["%2$s"],"history":[
                    {"digest":"%1$s","current":true,"rollbackTarget":false,"previousDigest":"%2$s","rollbackOf":"%2$s",
                     "reason":"health check failed","actor":"rollback","movedAt":"2026-01-01T10:00:09Z"},
                    {"digest":"%2$s","current":false,"rollbackTarget":false,"previousDigest":"%1$s",
                     "reason":"nothing to test in stage","actor":"pipeline","movedAt":"2026-01-01T10:00:06Z"}]}]}
                """.formatted(V1, V2));
        JsonNode prodHealth = new ObjectMapper().readTree("""
                {"health":"watching","deployments":[
                  {"digest":"%1$s","rollbackOf":"%2$s","healthy":false},
                  {"digest":"%2$s","healthy":false,"unhealthyAt":"2026-01-01T10:00:08Z","evidence":"HTTP 503"}]}
                """.formatted(V1, V2));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new DeploymentsView(Map.of(V1, "v1", V2, "v2"), Instant.parse("2026-01-01T10:00:00Z"))
                .print(application, stage -> stage.equals("prod") ? prodHealth : null,
                        new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("""
                stage
                ● v2 sha256:bbbbbbbbbbbb
                """);
        assertThat(text).contains("  v1 sha256:aaaaaaaaaaaa  (rollback target)\n");
        assertThat(text).contains("""
                prod  (health: watching)
                ● v1 sha256:aaaaaaaaaaaa
                """);
        assertThat(text).containsPattern("RollbackOf: v2 sha256:bbbbbbbbbbbb\n\\s+Reason: health check failed\n");
        assertThat(text).contains("  v2 sha256:bbbbbbbbbbbb  (quarantined)\n");
        assertThat(text).containsPattern("Health: unhealthy at \\d\\d:\\d\\d:08\\.000 {2}\\(\\+8\\.0s\\): HTTP 503");
        assertThat(text).contains("(+9.0s) by rollback");
    }
}
