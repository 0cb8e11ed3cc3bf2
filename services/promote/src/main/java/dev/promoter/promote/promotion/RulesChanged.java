package dev.promoter.promote.promotion;

import dev.promoter.promote.definition.DefinitionListener;
import dev.promoter.promote.definition.PipelineDefinition;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A new revision changed the gates of some stages: their open requests are evaluated again at once, inside the save's
 * transaction and under the application's lock it holds. A stricter rule applies at once; a looser one never lets a
 * request through by itself, since each request is also held to the rules it was asked under.
 */
@ApplicationScoped
class RulesChanged implements DefinitionListener {

    private final GateRepositories.Requests requests;
    private final PromotionExecutor executor;

    RulesChanged(GateRepositories.Requests requests, PromotionExecutor executor) {
        this.requests = requests;
        this.executor = executor;
    }

    @Override
    public Uni<Void> gatesChanged(PipelineDefinition before, PipelineDefinition after, int revision,
                                  List<String> gatesChanged, String savedBy) {
        return requests.waitingOf(after.application()).chain(waiting -> executor.run(after, waiting.stream()
                .filter(request -> gatesChanged.contains(request.stage))
                .map(PromotionExecutor.Judge::new).toList()));
    }
}
