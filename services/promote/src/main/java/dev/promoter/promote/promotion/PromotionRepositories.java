package dev.promoter.promote.promotion;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Persistence of the suite results promotion decisions read. */
final class PromotionRepositories {

    private PromotionRepositories() {
    }

    @ApplicationScoped
    static class SuiteResults implements PanacheRepository<SuiteResult> {
        /** The stored run with the same identity (application, digest, stage, suite, attempt), or null. */
        Uni<SuiteResult> find(SuiteResult run) {
            return find("application = ?1 and digest = ?2 and stage = ?3 and suite = ?4 and attempt = ?5",
                    run.application, run.digest, run.stage, run.suite, run.attempt).firstResult();
        }

        Uni<List<SuiteResult>> of(String application, String digest, String stage) {
            return list("application = ?1 and digest = ?2 and stage = ?3 order by attempt", application, digest, stage);
        }
    }
}
