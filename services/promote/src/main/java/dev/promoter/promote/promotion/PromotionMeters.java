package dev.promoter.promote.promotion;

import dev.promoter.promote.artifact.ReceivedArtifacts;
import dev.promoter.messaging.Hops;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.history.Deployment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Promote's meters: moves by application and stage ({@code pipeline_promotions_total}), the time per hop
 * ({@code pipeline_hop_seconds}: build accepted → first stage, stage → stage, gate wait) and DORA's lead time for
 * changes per move ({@code pipeline_dora_lead_time_for_changes_seconds}).
 */
@ApplicationScoped
public class PromotionMeters {

    public static final String FIRST_STAGE = "build-to-first-stage";
    public static final String STAGE_TO_STAGE = "stage-to-stage";
    public static final String GATE_WAIT = "gate-wait";

    private final MeterRegistry registry;
    private final ReceivedArtifacts artifacts;

    PromotionMeters(MeterRegistry registry, ReceivedArtifacts artifacts) {
        this.registry = registry;
        this.artifacts = artifacts;
    }

    /** Counts the move and times the hop that ended with it: from the build's acceptance or the previous stage. */
    Uni<Void> moved(PipelineDefinition definition, StageDefinition stage, Deployment move) {
        String application = definition.application();
        Counter.builder("pipeline.promotions").description("digests moved into a stage by promote")
                .tag("application", application).tag("stage", stage.name()).register(registry).increment();
        return artifacts.find(application, move.digest).chain(artifact -> {
            if (artifact != null && artifact.commitTime != null && !artifact.commitTime.isAfter(move.movedAt)) {
                Hops.timer("pipeline.dora.lead.time.for.changes", "commit → the digest's move into the stage")
                        .tag("application", application).tag("stage", stage.name()).register(registry)
                        .record(Duration.between(artifact.commitTime, move.movedAt));
            }
            return definition.previousStage(stage.name())
                    .map(previous -> movedInto(application, previous.name(), move.digest))
                    .orElse(Uni.createFrom().item(artifact == null ? null : artifact.receivedAt))
                    .invoke(from -> hop(definition.previousStage(stage.name()).isEmpty() ? FIRST_STAGE : STAGE_TO_STAGE,
                            stage.name(), from, move.movedAt));
        }).replaceWithVoid();
    }

    /** A digest waited behind the stage's gates from the request's opening until now. */
    void gateWaited(PromotionRequest request, Instant promotedAt) {
        hop(GATE_WAIT, request.stage, request.requestedAt, promotedAt);
    }

    private void hop(String hop, String stage, Instant from, Instant to) {
        if (from == null || from.isAfter(to)) {
            return;
        }
        Hops.record(registry, hop, stage, Duration.between(from, to));
    }

    private static Uni<Instant> movedInto(String application, String stage, String digest) {
        return Panache.getSession().chain(session -> session.createQuery(
                        "select max(d.movedAt) from Deployment d where d.application = ?1 and d.stage = ?2 and d.digest = ?3"
                                + " and d.rollbackOf is null", Instant.class)
                .setParameter(1, application).setParameter(2, stage).setParameter(3, digest)
                .getSingleResultOrNull());
    }
}
