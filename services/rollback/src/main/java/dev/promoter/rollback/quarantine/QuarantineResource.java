package dev.promoter.rollback.quarantine;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.WatchedStages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code DELETE /api/v1/applications/{app}/stages/{stage}/quarantine/{digest}?reason=...}: a person lifts the
 * quarantine of a digest in a stage, so it can be the stage's rollback target again.
 */
@Path("/api/v1/applications/{application}/stages/{stage}/quarantine/{digest}")
public class QuarantineResource {

    private static final Logger LOG = Logger.getLogger(QuarantineResource.class);
    /** Longest reason accepted; it is kept in the audit trail. */
    static final int MAX_REASON_LENGTH = 500;

    private final QuarantineService quarantines;
    private final WatchedStages watchedStages;
    private final HealthProber prober;
    private final Access access;

    QuarantineResource(QuarantineService quarantines, WatchedStages watchedStages, HealthProber prober,
                       Access access) {
        this.quarantines = quarantines;
        this.watchedStages = watchedStages;
        this.prober = prober;
        this.access = access;
    }

    /** Role: operator. */
    @DELETE
    public Uni<Response> lift(@PathParam("application") String application, @PathParam("stage") String stage,
                              @PathParam("digest") String digest, @QueryParam("reason") String reason,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = access.require(authorization, Role.OPERATOR).name();
        List<String> errors = new ArrayList<>();
        if (reason == null || reason.isBlank()) {
            errors.add("reason: say why the quarantine is lifted, as the query parameter 'reason'");
        } else if (reason.length() > MAX_REASON_LENGTH) {
            errors.add("reason: at most " + MAX_REASON_LENGTH + " characters, got " + reason.length());
        }
        try {
            Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            errors.add("digest: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the request to lift a quarantine is invalid; nothing was changed",
                    errors);
        }
        return quarantines.lift(application, stage, digest, reason.strip(), caller).chain(lifted -> {
            if (!lifted) {
                throw ProblemException.notFound(digest + " is not quarantined in " + application + " stage " + stage
                        + "; see the stage's quarantined digests in GET .../stages/" + stage + "/history");
            }
            return retarget(application, stage).replaceWith(Response.noContent().build());
        });
    }

    /**
     * The stage's watch learns its new rollback target, read after the commit: the digest just lifted may be it.
     * The lift is recorded either way; a watch that missed it catches up at the stage's next move or restart.
     */
    private Uni<Void> retarget(String application, String stage) {
        return Panache.withSession(() -> watchedStages.of(application, stage))
                .invoke(watched -> watched.ifPresent(prober::watch))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("lifted a quarantine in %s/%s but could not refresh its watch: %s", application, stage,
                            failure.toString());
                    return null;
                });
    }
}
