package dev.promoter.build.webhook;

import dev.promoter.build.artifact.ArtifactService;
import dev.promoter.build.artifact.BuildReport;
import dev.promoter.build.builder.BuildRequests;
import dev.promoter.build.delivery.Deliveries;
import dev.promoter.build.delivery.Delivery;
import dev.promoter.build.source.ApplicationSource;
import dev.promoter.build.source.ApplicationSources;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What every door (GitHub, GitLab, CDEvents) does with what it heard, once the delivery is authentic and read:
 * an image → an artifact; a push to a building branch → a build request; a failed CI run → a recorded failure.
 * Each delivery's effects and its delivery record are written in one transaction; a refused one writes nothing.
 */
@ApplicationScoped
public class Intake {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");

    private final ApplicationSources sources;
    private final ArtifactService artifacts;
    private final BuildRequests buildRequests;
    private final Deliveries deliveries;
    private final Transactions transactions;

    Intake(ApplicationSources sources, ArtifactService artifacts, BuildRequests buildRequests, Deliveries deliveries,
           Transactions transactions) {
        this.sources = sources;
        this.artifacts = artifacts;
        this.buildRequests = buildRequests;
        this.deliveries = deliveries;
        this.transactions = transactions;
    }

    /** Answers 200 "duplicate" at once for a delivery accepted before; otherwise runs {@code work}. */
    public Uni<Response> unlessSeen(String source, String deliveryId, Supplier<Uni<Response>> work) {
        return deliveries.seen(source, deliveryId).chain(seen -> seen
                ? Uni.createFrom().item(Response.ok(WebhookReceipt.duplicate(deliveryId)).build())
                : work.get());
    }

    /**
     * An image was pushed: {@code repository} ({@code host[:port]/path}) at {@code digestText}. Refused with 422
     * for a malformed digest or one not in the registry, 404 for a repository no pipeline definition names.
     */
    public Uni<Response> artifact(String source, String deliveryId, String event, String repository,
                                  String digestText, String commit, String buildUrl, String author) {
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("the image digest " + quote(digestText) + " is malformed: "
                    + e.getMessage());
        }
        return Panache.withSession(() -> sources.byRepository(repository)).chain(application -> {
            if (application == null) {
                throw ProblemException.notFound("repository " + repository + " is not the repository of any"
                        + " application's pipeline definition; define the application with this repository first");
            }
            BuildReport report = new BuildReport(application.application(), repository, digest.value(),
                    commit != null && COMMIT.matcher(commit).matches() ? commit : null,
                    isHttpUrl(buildUrl) ? buildUrl : null,
                    author == null || author.isBlank() || author.length() > 256 ? null : author);
            Delivery delivery = new Delivery(source, deliveryId, event, application.application(), "artifact");
            return artifacts.accept(report, new ArtifactService.Origin(source, source + ":" + author, delivery))
                    .map(accepted -> accepted.eventId() == null && !accepted.first()
                            ? Response.ok(WebhookReceipt.duplicate(deliveryId)).build()
                            : Response.accepted(WebhookReceipt.accepted(accepted.first()
                                            ? "artifact " + digest + " of " + application.application() + " published"
                                            : "artifact " + digest + " was already known; nothing published again",
                                    List.of(application.application()), accepted.eventId())).build());
        });
    }

    /** A push of {@code commit} to {@code branch} of a source repository: asks each application's builder. */
    public Uni<Response> push(String source, String deliveryId, String event, String sourceRepository,
                              List<ApplicationSource> applications, String branch, String commit) {
        requireKnown(sourceRepository, applications);
        List<ApplicationSource> building = applications.stream()
                .filter(application -> application.builds(branch) && application.jenkins().isPresent()).toList();
        if (building.isEmpty()) {
            return Uni.createFrom().item(Response.accepted(WebhookReceipt.ignored("branch " + quote(branch) + " of "
                    + sourceRepository + " builds no application (their definitions name branches "
                    + applications.stream().map(a -> a.application() + ": " + a.branches()).toList()
                    + " and a builder)")).build());
        }
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw ProblemException.unprocessable("the pushed commit " + quote(commit)
                    + " is not a git commit id (7-64 lowercase hex)");
        }
        List<String> names = building.stream().map(ApplicationSource::application).toList();
        Delivery delivery = new Delivery(source, deliveryId, event, names.size() == 1 ? names.get(0) : null,
                "build-requested");
        return transactions.inTransaction(() -> deliveries.claim(delivery).chain(first -> {
                    if (!first) {
                        return Uni.createFrom().item(false);
                    }
                    return Multi.createFrom().iterable(building)
                            .onItem().transformToUniAndConcatenate(application -> {
                                PipelineSource.JenkinsBuilder jenkins = application.jenkins().orElseThrow();
                                return buildRequests.request(application, jenkins, branch, commit, source, deliveryId);
                            })
                            .collect().asList().replaceWith(true);
                }))
                .map(first -> first
                        ? Response.accepted(WebhookReceipt.accepted("asked the builder of " + names + " to build "
                                + commit + " of branch " + branch, names, null)).build()
                        : Response.ok(WebhookReceipt.duplicate(deliveryId)).build());
    }

    /** A CI run of {@code commit} failed: recorded against the commit for every application of the repository. */
    public Uni<Response> failure(String source, String deliveryId, String event, String sourceRepository,
                                 List<ApplicationSource> applications, String commit, String name, String conclusion,
                                 String url) {
        requireKnown(sourceRepository, applications);
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw ProblemException.unprocessable("the failed run's commit " + quote(commit)
                    + " is not a git commit id (7-64 lowercase hex)");
        }
        List<String> names = applications.stream().map(ApplicationSource::application).toList();
        Delivery delivery = new Delivery(source, deliveryId, event, names.size() == 1 ? names.get(0) : null,
                "build-failed");
        return transactions.inTransaction(() -> deliveries.claim(delivery).chain(first -> !first
                        ? Uni.createFrom().item(false)
                        : Multi.createFrom().iterable(names)
                        .onItem().transformToUniAndConcatenate(application -> recordFailure(application, commit,
                                source, name, conclusion, url))
                        .collect().asList().replaceWith(true)))
                .map(first -> first
                        ? Response.accepted(WebhookReceipt.accepted("recorded that " + (name == null ? "the run" : name)
                                + " ended " + conclusion + " for commit " + commit, names, null)).build()
                        : Response.ok(WebhookReceipt.duplicate(deliveryId)).build());
    }

    /** The applications whose definitions name this GitHub repository. */
    public Uni<List<ApplicationSource>> byGitHub(String fullName) {
        return Panache.withSession(() -> sources.byGitHub(fullName));
    }

    /** The applications whose definitions name this GitLab project. */
    public Uni<List<ApplicationSource>> byGitLab(String projectPath) {
        return Panache.withSession(() -> sources.byGitLab(projectPath));
    }

    private Uni<Void> recordFailure(String application, String commit, String source, String name, String conclusion,
                                    String url) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into build_failure"
                                + " (application, commit_id, source, name, conclusion, url, received_at)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6, now())")
                        .setParameter(1, application)
                        .setParameter(2, commit)
                        .setParameter(3, source)
                        .setParameter(4, cut(name))
                        .setParameter(5, cut(conclusion))
                        .setParameter(6, isHttpUrl(url) ? url : null)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static void requireKnown(String sourceRepository, List<ApplicationSource> applications) {
        if (applications.isEmpty()) {
            throw ProblemException.notFound("repository " + sourceRepository + " is not the source of any"
                    + " application's pipeline definition; name it under source in the definition first");
        }
    }

    /** {@code ghcr.io/Owner/Name:tag} or {@code ...@sha256:...} → {@code ghcr.io/owner/name}; null if no image. */
    static String repositoryOf(String imageReference) {
        if (imageReference == null || imageReference.isBlank()) {
            return null;
        }
        String reference = imageReference.trim();
        int at = reference.indexOf('@');
        if (at >= 0) {
            reference = reference.substring(0, at);
        }
        int slash = reference.indexOf('/');
        int colon = reference.lastIndexOf(':');
        if (colon > slash) {
            reference = reference.substring(0, colon);
        }
        if (slash < 0) {
            return null;
        }
        return reference.substring(0, slash) + reference.substring(slash).toLowerCase(Locale.ROOT);
    }

    static boolean isHttpUrl(String value) {
        if (value == null || value.length() > 2048) {
            return false;
        }
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'";
    }

    private static String cut(String value) {
        return value == null || value.length() <= 200 ? value : value.substring(0, 200);
    }
}
