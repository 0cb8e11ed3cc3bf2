package dev.promoter.promote.definition;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The revisions of every application's pipeline definition. */
@ApplicationScoped
public class DefinitionRevisions implements PanacheRepositoryBase<DefinitionRevision, DefinitionRevision.Key> {

    /** One revision, or null. */
    public Uni<DefinitionRevision> of(String application, int revision) {
        return find("application = ?1 and revision = ?2", application, revision).firstResult();
    }

    /** Up to {@code limit} revisions below {@code before}, newest first. */
    Uni<List<DefinitionRevision>> page(String application, int before, int limit) {
        return find("application = ?1 and revision < ?2 order by revision desc", application, before)
                .page(0, limit).list();
    }
}
