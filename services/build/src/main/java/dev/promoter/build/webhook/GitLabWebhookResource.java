package dev.promoter.build.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.build.config.BuildConfig;
import dev.promoter.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/gitlab}: GitLab webhook deliveries, authenticated by {@code X-Gitlab-Token}. GitLab
 * disables a webhook for good after a 4xx, so a 4xx answers only a request that is really wrong (bad token,
 * not a GitLab payload); a fault of ours is a 5xx, and a project no definition names is answered 202 "ignored".
 */
@Path("/webhooks/gitlab")
public class GitLabWebhookResource {

    static final String SOURCE = "gitlab";
    private static final Logger LOG = Logger.getLogger(GitLabWebhookResource.class);
    private static final Set<String> FAILED = Set.of("failed");

    private final byte[] token;
    private final Intake intake;

    GitLabWebhookResource(BuildConfig config, Intake intake) {
        this.token = config.gitlab().webhookToken().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.intake = intake;
        if (token == null) {
            LOG.warn("no build.gitlab.webhook-token configured: GitLab deliveries are answered 503");
        }
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> deliver(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 @HeaderParam("X-Gitlab-Token") String presented,
                                 @HeaderParam("X-Gitlab-Event") String event,
                                 @HeaderParam("Idempotency-Key") String idempotencyKey,
                                 @HeaderParam("X-Gitlab-Event-UUID") String eventUuid,
                                 byte[] body) {
        if (token == null) {
            throw ProblemException.unavailable("this service has no GitLab webhook token configured"
                    + " (build.gitlab.webhook-token); nothing was changed");
        }
        Payloads.requireContentType(contentType, MediaType.APPLICATION_JSON,
                "GitLab sends application/json; is this really a GitLab webhook?");
        if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(401, "Unauthorized", presented == null
                    ? "X-Gitlab-Token is missing; set the webhook's secret token in GitLab"
                    : "X-Gitlab-Token does not match the token this service has");
        }
        if (event == null || event.isBlank()) {
            throw ProblemException.badRequest("X-Gitlab-Event is missing; it names the hook, e.g. Push Hook",
                    List.of());
        }
        byte[] raw = body == null ? new byte[0] : body;
        String deliveryId = deliveryId(idempotencyKey, eventUuid, raw);
        return intake.unlessSeen(SOURCE, deliveryId, () -> switch (event) {
            case "Push Hook" -> push(deliveryId, Payloads.object(raw, "Push Hook"));
            case "Pipeline Hook" -> pipeline(deliveryId, Payloads.object(raw, "Pipeline Hook"));
            default -> ignored("hook " + Intake.quote(event) + " is not one this service acts on");
        });
    }

    private Uni<Response> push(String deliveryId, JsonNode payload) {
        String ref = Payloads.required(payload, "/ref", "Push Hook");
        String project = Payloads.required(payload, "/project/path_with_namespace", "Push Hook");
        String commit = Payloads.text(payload, "/checkout_sha");
        if (commit == null || commit.matches("0{40}")) {
            return ignored("branch deletion of " + ref + " builds nothing");
        }
        if (!ref.startsWith("refs/heads/")) {
            return ignored(ref + " is not a branch; only branch pushes build");
        }
        String branch = ref.substring("refs/heads/".length());
        return intake.byGitLab(project).chain(applications -> applications.isEmpty()
                ? unknownProject(project)
                : intake.push(SOURCE, deliveryId, "Push Hook", project, applications, branch, commit));
    }

    private Uni<Response> pipeline(String deliveryId, JsonNode payload) {
        String status = Payloads.text(payload, "/object_attributes/status");
        if (status == null || !FAILED.contains(status)) {
            return ignored("only failed pipelines are recorded; this one is " + Intake.quote(status));
        }
        String project = Payloads.required(payload, "/project/path_with_namespace", "Pipeline Hook");
        String commit = Payloads.text(payload, "/object_attributes/sha");
        String name = Payloads.text(payload, "/object_attributes/name");
        String url = Payloads.text(payload, "/object_attributes/url");
        return intake.byGitLab(project).chain(applications -> applications.isEmpty()
                ? unknownProject(project)
                : intake.failure(SOURCE, deliveryId, "Pipeline Hook", project, applications, commit,
                name == null ? "pipeline" : name, status, url));
    }

    /** A project no definition names: a 4xx would disable the hook for good, though a definition may come later. */
    private static Uni<Response> unknownProject(String project) {
        return ignored("project " + project + " is not the source of any application's pipeline definition;"
                + " name it under source.gitlab in the definition");
    }

    // Idempotency-Key is the same across retries and manual resends (GitLab 17.4+); older GitLab sends only the
    // event UUID; without either, the body itself identifies the delivery.
    static String deliveryId(String idempotencyKey, String eventUuid, byte[] body) {
        if (idempotencyKey != null && !idempotencyKey.isBlank() && idempotencyKey.length() <= 100) {
            return idempotencyKey;
        }
        if (eventUuid != null && !eventUuid.isBlank() && eventUuid.length() <= 100) {
            return "event-uuid:" + eventUuid;
        }
        try {
            return "body-sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Uni<Response> ignored(String why) {
        return Uni.createFrom().item(Response.accepted(WebhookReceipt.ignored(why)).build());
    }
}
