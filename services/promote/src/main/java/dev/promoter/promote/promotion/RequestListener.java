package dev.promoter.promote.promotion;

import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateEvaluation;
import io.smallrye.mutiny.Uni;

/**
 * Told, inside the transaction that changed it, that a request to enter a gated stage opened, changed or ended, so
 * it can write what it owes people (the Slack message) in that same transaction.
 */
public interface RequestListener {

    Uni<Void> changed(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                      GateEvaluation evaluation);
}
