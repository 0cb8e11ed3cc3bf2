package dev.promoter.build.builder;

import dev.promoter.build.config.BuildConfig;
import dev.promoter.build.source.ApplicationSource;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.kit.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Build requests: a push to a building branch records one (in the delivery's transaction), and a worker asks the
 * application's Jenkins job to build it, with retries, recording each outcome. At least once: a crash between
 * Jenkins accepting and the outcome being written asks again after the retry interval.
 */
@ApplicationScoped
public class BuildRequests {

    private static final Logger LOG = Logger.getLogger(BuildRequests.class);
    private static final int MAX_ERROR = 500;

    private final Pool pool;
    private final BuildConfig.Jenkins config;
    private final JenkinsClient jenkins;
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    BuildRequests(Pool pool, BuildConfig config) {
        this.pool = pool;
        this.config = config.jenkins();
        this.jenkins = new JenkinsClient(this.config.timeout());
    }

    /**
     * Records a request to build {@code commit} of the application; true when new (one per application and
     * commit: a second push of the same commit asks nothing more). Must run in the delivery's transaction.
     */
    public Uni<Boolean> request(ApplicationSource application, PipelineSource.JenkinsBuilder builder, String branch,
                                String commit, String source, String deliveryId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into build_request"
                                + " (application, commit_id, branch, source, delivery_id, repository, jenkins_url, jenkins_job,"
                                + " credentials, phase, requested_at, updated_at)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'PENDING', now(), now())"
                                + " on conflict (application, commit_id) do nothing")
                        .setParameter(1, application.application())
                        .setParameter(2, commit)
                        .setParameter(3, branch)
                        .setParameter(4, source)
                        .setParameter(5, deliveryId)
                        .setParameter(6, application.repository())
                        .setParameter(7, builder.url().toString())
                        .setParameter(8, builder.job())
                        .setParameter(9, builder.credentials())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** Asks for the pending requests to be sent now; cheap, safe from any thread. */
    public void wakeUp() {
        again.set(true);
        if (working.compareAndSet(false, true)) {
            again.set(false);
            sendOne().subscribe().with(this::sent, failure -> {
                working.set(false);
                LOG.warnf("build requests could not be sent, will retry: %s", failure.getMessage());
            });
        }
    }

    @Scheduled(every = "${build.jenkins.retry-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        wakeUp();
    }

    private void sent(boolean any) {
        working.set(false);
        if (any || again.get()) {
            wakeUp();
        }
    }

    /** Claims one due request (skipping those another replica holds), asks Jenkins, records the outcome. */
    Uni<Boolean> sendOne() {
        long retryAfterMs = config.retryInterval().toMillis();
        return pool.preparedQuery("update build_request set attempts = attempts + 1, updated_at = now() where id = ("
                        + " select id from build_request where phase = 'PENDING' and (attempts = 0 or updated_at"
                        + " < now() - make_interval(secs => $1::double precision / 1000)) order by id limit 1"
                        + " for update skip locked) returning id, application, commit_id, branch, repository, jenkins_url,"
                        + " jenkins_job, credentials, attempts")
                .execute(Tuple.of(retryAfterMs))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Row row = rows.iterator().next();
                    return send(row).replaceWith(true);
                });
    }

    private Uni<Void> send(Row row) {
        long id = row.getLong("id");
        int attempts = row.getInteger("attempts");
        String credentialsName = row.getString("credentials");
        BuildConfig.JenkinsCredentials credentials = config.credentials().get(credentialsName);
        if (credentials == null) {
            return finish(id, BuildRequestPhase.FAILED, null, "no Jenkins credential set '" + credentialsName
                    + "' is configured; set build.jenkins.credentials." + credentialsName + ".user and .api-token");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("APPLICATION", row.getString("application"));
        parameters.put("COMMIT", row.getString("commit_id"));
        parameters.put("BRANCH", row.getString("branch"));
        parameters.put("REPOSITORY", row.getString("repository"));
        URI url = URI.create(row.getString("jenkins_url"));
        String job = row.getString("jenkins_job");
        return Blocking.call(() -> {
                    try {
                        return Outcome.queued(jenkins.buildWithParameters(url, job, parameters,
                                new JenkinsClient.Credentials(credentials.user(), credentials.apiToken().orElse(null),
                                        credentials.password().orElse(null))));
                    } catch (JenkinsClient.Rejected e) {
                        return Outcome.refused(e.getMessage());
                    } catch (JenkinsClient.Unavailable e) {
                        return Outcome.unavailable(e.getMessage());
                    }
                })
                .chain(outcome -> {
                    if (outcome.phase() == BuildRequestPhase.PENDING && attempts >= config.maxAttempts()) {
                        return finish(id, BuildRequestPhase.ERRORED, null, outcome.error() + " (gave up after "
                                + attempts + " attempts)");
                    }
                    if (outcome.phase() == BuildRequestPhase.SUCCEEDED) {
                        LOG.infof("Jenkins queued job %s for %s at %s", job, row.getString("commit_id"),
                                outcome.queueItem());
                    } else {
                        LOG.warnf("build request %d for job %s: %s", id, job, outcome.error());
                    }
                    return finish(id, outcome.phase(), outcome.queueItem(), outcome.error());
                });
    }

    private Uni<Void> finish(long id, BuildRequestPhase phase, String queueItem, String error) {
        String cut = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        return pool.preparedQuery("update build_request set phase = $2, queue_item = coalesce($3, queue_item),"
                        + " last_error = $4, updated_at = now() where id = $1 and phase = 'PENDING'")
                .execute(Tuple.of(id, phase.name(), queueItem, cut))
                .replaceWithVoid();
    }

    private record Outcome(BuildRequestPhase phase, String queueItem, String error) {

        static Outcome queued(String queueItem) {
            return new Outcome(BuildRequestPhase.SUCCEEDED, queueItem, null);
        }

        static Outcome refused(String error) {
            return new Outcome(BuildRequestPhase.FAILED, null, error);
        }

        static Outcome unavailable(String error) {
            return new Outcome(BuildRequestPhase.PENDING, null, error);
        }
    }
}
