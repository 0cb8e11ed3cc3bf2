package dev.promoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What watch prints between two reads. */
class WatchCommandTest {

    static final String V1 = "sha256:" + "a".repeat(64);
    static final String V2 = "sha256:" + "b".repeat(64);

    @Test
    void saysWhatRunsFirstThenEachMoveRollbackHoldQuarantineWaitPinAndStop() throws Exception {
        var first = Map.of("shop/prod", new WatchCommand.StageState(V1, null, Set.of(), Map.of(), null, "healthy"));
        assertThat(WatchCommand.changes(null, first, null, Map.of()))
                .containsExactly("shop prod runs sha256:aaaaaaaaaaaa (health: healthy)");

        var moved = Map.of("shop/prod", new WatchCommand.StageState(V2, new ObjectMapper().readTree(
                "{\"actor\":\"pipeline\",\"reason\":\"approved\"}"), Set.of(), Map.of(), null, "watching"));
        assertThat(WatchCommand.changes(first, moved, Map.of(), Map.of())).containsExactly(
                "shop prod moved to sha256:bbbbbbbbbbbb from sha256:aaaaaaaaaaaa by pipeline: approved",
                "shop prod health: healthy → watching");

        var rolledBack = Map.of("shop/prod", new WatchCommand.StageState(V1, new ObjectMapper().readTree(
                "{\"actor\":\"rollback\",\"rollbackOf\":\"" + V2 + "\",\"reason\":\"health check failed\"}"),
                Set.of(V2), Map.of(V2, "quarantined in prod"), V1, "held"));
        assertThat(WatchCommand.changes(moved, rolledBack, Map.of(), Map.of("*", "line stopped for all applications")))
                .containsExactly("line stopped for all applications",
                        "shop prod ROLLED BACK to sha256:aaaaaaaaaaaa from sha256:bbbbbbbbbbbb by rollback: health check failed",
                        "shop prod health: watching → held (unhealthy, nothing to go back to: held, not rolled back)",
                        "shop prod quarantined sha256:bbbbbbbbbbbb",
                        "shop prod: sha256:bbbbbbbbbbbb waits: quarantined in prod",
                        "shop prod pinned at sha256:aaaaaaaaaaaa");
        assertThat(WatchCommand.changes(rolledBack, rolledBack, Map.of("*", "x"), Map.of()))
                .containsExactly("line resumed for all applications");
    }
}
