package dev.promoter.build.builder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.build.config.BuildConfig;
import dev.promoter.build.source.ApplicationSource;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.messaging.outgoing.Attempt;
import dev.promoter.messaging.outgoing.CallPolicy;
import dev.promoter.messaging.outgoing.CallSender;
import dev.promoter.messaging.outgoing.NewCall;
import dev.promoter.messaging.outgoing.OutgoingCall;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Build requests: a push to a building branch records one (in the delivery's transaction) and queues a durable
 * outgoing call of kind {@value #KIND} (libs/messaging) that asks the application's Jenkins job to build it, with
 * retries, each attempt recorded on the request too. At least once: a crash between Jenkins accepting and the outcome
 * being written asks again once the call's claim expired. A refusal a retry will not change (unknown job, bad
 * credentials) fails at once; an unreachable Jenkins is asked again until {@code build.jenkins.max-attempts}, then the
 * request is ERRORED and its call FAILED, listed and retryable at {@code /api/v1/outgoing-calls}.
 */
@ApplicationScoped
public class BuildRequests implements CallSender {

    public static final String KIND = "jenkins-build";
    private static final Logger LOG = Logger.getLogger(BuildRequests.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR = 500;

    private final BuildConfig.Jenkins config;
    private final JenkinsClient jenkins;
    private final OutgoingCalls calls;

    BuildRequests(BuildConfig config, OutgoingCalls calls) {
        this.config = config.jenkins();
        this.jenkins = new JenkinsClient(this.config.timeout());
        this.calls = calls;
    }

    /**
     * Records a request to build {@code commit} of the application and queues its call; true when new (one per
     * application and commit: a second push of the same commit asks nothing more). Must run in the delivery's
     * transaction.
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
                .chain(inserted -> inserted == 1
                        ? calls.enqueue(new NewCall(KIND, application.application(), application.application(), null,
                                        null, JenkinsClient.jobUrl(builder.url(), builder.job(), "buildWithParameters")
                                        .toString(), builder.credentials(),
                                        body(application, builder, branch, commit))).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private static String body(ApplicationSource application, PipelineSource.JenkinsBuilder builder, String branch,
                               String commit) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("application", application.application());
        body.put("commit", commit);
        body.put("branch", branch);
        body.put("repository", application.repository());
        body.put("jenkinsUrl", builder.url().toString());
        body.put("job", builder.job());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings serialises", e);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CallPolicy policy() {
        return new CallPolicy(config.maxAttempts(), config.retryInterval(), config.retryInterval().multipliedBy(16),
                false);
    }

    @Override
    public Uni<Attempt> send(OutgoingCall call) {
        JsonNode body = read(call.body());
        String credentialsName = call.secretName();
        BuildConfig.JenkinsCredentials credentials = config.credentials().get(credentialsName);
        if (credentials == null) {
            return Uni.createFrom().item(Attempt.refused("no Jenkins credential set '" + credentialsName
                    + "' is configured; set build.jenkins.credentials." + credentialsName + ".user and .api-token"));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("APPLICATION", body.path("application").asText());
        parameters.put("COMMIT", body.path("commit").asText());
        parameters.put("BRANCH", body.path("branch").asText());
        parameters.put("REPOSITORY", body.path("repository").asText());
        URI url = URI.create(body.path("jenkinsUrl").asText());
        String job = body.path("job").asText();
        return Blocking.call(() -> {
            try {
                String queueItem = jenkins.buildWithParameters(url, job, parameters,
                        new JenkinsClient.Credentials(credentials.user(), credentials.apiToken().orElse(null),
                                credentials.password().orElse(null)));
                LOG.infof("Jenkins queued job %s for %s at %s", job, parameters.get("COMMIT"), queueItem);
                return Attempt.delivered("queued at " + queueItem, queueItem);
            } catch (JenkinsClient.Rejected e) {
                return Attempt.refused(e.getMessage());
            } catch (JenkinsClient.Unavailable e) {
                return Attempt.unavailable(e.getMessage());
            }
        });
    }

    /** The request's own record follows its call: phase, attempts, queue item, last error. */
    @Override
    public Uni<Void> recorded(SqlConnection transaction, OutgoingCall after, Attempt attempt) {
        JsonNode body = read(after.body());
        BuildRequestPhase phase = switch (after.status()) {
            case SUCCEEDED -> BuildRequestPhase.SUCCEEDED;
            case FAILED -> attempt.kind() == Attempt.Kind.REFUSED ? BuildRequestPhase.FAILED : BuildRequestPhase.ERRORED;
            default -> BuildRequestPhase.PENDING;
        };
        String error = attempt.delivered() ? null : phase == BuildRequestPhase.ERRORED
                ? attempt.outcome() + " (gave up after " + after.attempts() + " attempts)" : attempt.outcome();
        return transaction.preparedQuery("update build_request set phase = $3, attempts = $4,"
                        + " queue_item = coalesce($5, queue_item), last_error = $6, updated_at = now()"
                        + " where application = $1 and commit_id = $2")
                .execute(Tuple.tuple().addValue(body.path("application").asText()).addValue(body.path("commit").asText())
                        .addValue(phase.name()).addValue(after.attempts()).addValue(attempt.result())
                        .addValue(error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR)))
                .replaceWithVoid();
    }

    /** A person retried the FAILED call: the request is pending again. */
    @Override
    public Uni<Void> retried(SqlConnection transaction, OutgoingCall call) {
        JsonNode body = read(call.body());
        return transaction.preparedQuery("update build_request set phase = 'PENDING', attempts = 0, updated_at = now()"
                        + " where application = $1 and commit_id = $2")
                .execute(Tuple.of(body.path("application").asText(), body.path("commit").asText()))
                .replaceWithVoid();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a build request's call body is JSON", e);
        }
    }

}
