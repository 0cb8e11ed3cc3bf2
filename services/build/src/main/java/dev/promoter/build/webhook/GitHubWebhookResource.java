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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/github}: GitHub webhook deliveries. The signature is checked over the raw body before
 * anything is parsed; each delivery is applied once by {@code X-GitHub-Delivery}, durably.
 */
@Path("/webhooks/github")
public class GitHubWebhookResource {

    static final String SOURCE = "github";
    private static final Logger LOG = Logger.getLogger(GitHubWebhookResource.class);
    private static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");

    private final byte[] secret;
    private final Intake intake;

    GitHubWebhookResource(BuildConfig config, Intake intake) {
        this.secret = config.github().webhookSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        this.intake = intake;
        if (secret.length == 0) {
            LOG.warn("no build.github.webhook-secret configured: every GitHub delivery is answered 503");
        }
    }

    /**
     * Refuses a delivery whose signature is missing or wrong (401), and every delivery while this service has no
     * secret (503: its configuration, not the sender, is at fault), saying which.
     */
    static void requireSignature(byte[] secret, byte[] raw, String signature) {
        if (secret.length == 0) {
            throw ProblemException.unavailable("this service has no GitHub webhook secret configured, so it cannot"
                    + " check any delivery: set BUILD_GITHUB_WEBHOOK_SECRET (build.github.webhook-secret) to the"
                    + " webhook's secret and restart the service; nothing was changed");
        }
        if (!GitHubSignature.verify(secret, raw, signature)) {
            throw new ProblemException(401, "Unauthorized", signature == null
                    ? "X-Hub-Signature-256 is missing; set the webhook's secret in GitHub to the one this service has"
                    : "X-Hub-Signature-256 does not match the body; the webhook's secret differs from this service's");
        }
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> deliver(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 @HeaderParam("X-Hub-Signature-256") String signature,
                                 @HeaderParam("X-GitHub-Event") String event,
                                 @HeaderParam("X-GitHub-Delivery") String deliveryId,
                                 byte[] body) {
        Payloads.requireContentType(contentType, MediaType.APPLICATION_JSON,
                "set the webhook's content type to application/json in GitHub");
        byte[] raw = body == null ? new byte[0] : body;
        requireSignature(secret, raw, signature);
        if (event == null || event.isBlank()) {
            throw ProblemException.badRequest("X-GitHub-Event is missing; it names the event, e.g. push", List.of());
        }
        if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 100) {
            throw ProblemException.badRequest("X-GitHub-Delivery is missing or too long; it identifies the delivery",
                    List.of());
        }
        if (event.equals("ping")) {
            Payloads.object(raw, "ping");
            return Uni.createFrom().item(Response.ok(new WebhookReceipt("pong", "the webhook reaches this service"
                    + " and its signature is valid", null, null)).build());
        }
        return intake.unlessSeen(SOURCE, deliveryId, () -> dispatch(event, deliveryId, raw));
    }

    private Uni<Response> dispatch(String event, String deliveryId, byte[] raw) {
        return switch (event) {
            case "push" -> push(deliveryId, Payloads.object(raw, "push"));
            case "registry_package", "package" -> registryPackage(event, deliveryId, Payloads.object(raw, event));
            case "workflow_run" -> workflowRun(deliveryId, Payloads.object(raw, "workflow_run"));
            default -> ignored("event " + Intake.quote(event) + " is not one this service acts on");
        };
    }

    private Uni<Response> push(String deliveryId, JsonNode payload) {
        String ref = Payloads.required(payload, "/ref", "push");
        String repository = Payloads.required(payload, "/repository/full_name", "push");
        if (payload.path("deleted").asBoolean(false)) {
            return ignored("branch deletion of " + ref + " builds nothing");
        }
        if (!ref.startsWith("refs/heads/")) {
            return ignored(ref + " is not a branch; only branch pushes build");
        }
        String branch = ref.substring("refs/heads/".length());
        String commit = Payloads.text(payload, "/after");
        return intake.byGitHub(repository).chain(applications ->
                intake.push(SOURCE, deliveryId, "push", repository, applications, branch, commit));
    }

    private Uni<Response> registryPackage(String event, String deliveryId, JsonNode payload) {
        JsonNode pkg = payload.has("registry_package") ? payload.get("registry_package") : payload.path("package");
        String action = Payloads.text(payload, "/action");
        if (!"published".equals(action) && !"updated".equals(action)) {
            return ignored("package action " + Intake.quote(action) + " announces no image");
        }
        String type = pkg.path("package_type").asText("");
        if (!type.equalsIgnoreCase("container") && !type.equalsIgnoreCase("docker")) {
            return ignored("package type " + Intake.quote(type) + " is not a container image");
        }
        JsonNode version = pkg.path("package_version");
        String digest = Payloads.text(version, "/container_metadata/manifest/digest");
        if (digest == null) {
            digest = Payloads.text(version, "/version");
        }
        if (digest == null) {
            throw ProblemException.unprocessable("the " + event + " payload names no image digest (package_version."
                    + "container_metadata.manifest.digest or package_version.version)");
        }
        String repository = Intake.repositoryOf(Payloads.text(version, "/package_url"));
        if (repository == null) {
            throw ProblemException.badRequest("the " + event + " payload has no package_version.package_url naming"
                    + " the image", List.of());
        }
        JsonNode labels = version.path("container_metadata").path("labels");
        String commit = labels.path("all_labels").path("org.opencontainers.image.revision").asText(null);
        if (commit == null) {
            commit = labels.path("revision").asText(null);
        }
        String author = Payloads.text(payload, "/sender/login");
        String buildUrl = Payloads.text(version, "/html_url");
        return intake.artifact(SOURCE, deliveryId, event, repository, digest,
                commit == null ? null : commit.toLowerCase(Locale.ROOT), buildUrl, author);
    }

    private Uni<Response> workflowRun(String deliveryId, JsonNode payload) {
        String action = Payloads.text(payload, "/action");
        String conclusion = Payloads.text(payload, "/workflow_run/conclusion");
        if (!"completed".equals(action) || conclusion == null || !FAILED.contains(conclusion)) {
            return ignored("only completed workflow runs that failed are recorded; this one is " + action
                    + (conclusion == null ? "" : " with conclusion " + conclusion));
        }
        String repository = Payloads.required(payload, "/repository/full_name", "workflow_run");
        String commit = Payloads.text(payload, "/workflow_run/head_sha");
        String name = Payloads.text(payload, "/workflow_run/name");
        String url = Payloads.text(payload, "/workflow_run/html_url");
        return intake.byGitHub(repository).chain(applications -> intake.failure(SOURCE, deliveryId, "workflow_run",
                repository, applications, commit, name, conclusion, url));
    }

    private static Uni<Response> ignored(String why) {
        return Uni.createFrom().item(Response.accepted(WebhookReceipt.ignored(why)).build());
    }
}
