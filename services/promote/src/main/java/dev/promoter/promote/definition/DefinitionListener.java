package dev.promoter.promote.definition;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Told, inside the saving transaction, when a new revision of a definition changed the gates of some stages. */
public interface DefinitionListener {

    /**
     * @param before       the definition before (null for a first save, or one that no longer reads)
     * @param after        the definition saved
     * @param revision     its revision number
     * @param gatesChanged the stages whose approval rules, approvers or gates changed, removed ones included
     * @param savedBy      who saved it
     */
    Uni<Void> gatesChanged(PipelineDefinition before, PipelineDefinition after, int revision,
                           List<String> gatesChanged, String savedBy);
}
