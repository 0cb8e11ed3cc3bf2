package dev.promoter.build.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.build.delivery.Deliveries;
import dev.promoter.build.delivery.Delivery;
import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.registry.RegistryConfig;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Accepts build reports: checks the image really is in the registry, records it and announces it. */
@ApplicationScoped
public class ArtifactService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArtifactRepository artifacts;
    private final Transactions transactions;
    private final Outbox outbox;
    private final RegistryClient registry;
    private final String registryAddress;
    private final Deliveries deliveries;

    ArtifactService(ArtifactRepository artifacts, Transactions transactions, Outbox outbox, RegistryClient registry,
                    RegistryConfig registryConfig, Deliveries deliveries) {
        this.deliveries = deliveries;
        this.artifacts = artifacts;
        this.transactions = transactions;
        this.outbox = outbox;
        this.registry = registry;
        this.registryAddress = registryConfig.address();
    }

    /** The result of a report: the announcing event's id (null for a redelivery), and whether it was the first. */
    public record Accepted(String eventId, boolean first) {
    }

    /**
     * Where a report came from.
     *
     * @param source     the door: {@code api} (a build's call), {@code github}, {@code gitlab}, {@code cdevents}
     * @param reportedBy the caller's token name, or the webhook sender
     * @param delivery   the delivery that carried it, claimed in the artifact's transaction; null for API calls
     */
    public record Origin(String source, String reportedBy, Delivery delivery) {
    }

    /**
     * Records the reported artifact and publishes {@code artifact.published} in the same transaction.
     * Reporting the same digest again changes nothing and answers with the first event's id.
     */
    public Uni<Accepted> accept(BuildReport report, String caller) {
        return accept(report, new Origin("api", caller, null));
    }

    /**
     * As {@link #accept(BuildReport, String)}, from any door. A delivery seen before changes nothing: it is
     * claimed first in the same transaction, so a concurrent redelivery cannot record the artifact twice.
     */
    public Uni<Accepted> accept(BuildReport report, Origin origin) {
        var errors = report.validate();
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the build report has " + errors.size() + " invalid field(s)", errors);
        }
        if (!report.registry().equals(registryAddress)) {
            throw ProblemException.unprocessable("repository " + report.repository() + " is not in the registry this"
                    + " pipeline manages (" + registryAddress + "); push the image there and report that repository");
        }
        Digest digest = Digest.parse(report.digest());
        return manifestExists(report, digest).chain(() -> transactions.inTransaction(() ->
                claim(origin).chain(first -> !first ? Uni.createFrom().item(new Accepted(null, false))
                        : artifacts.findByDigest(report.application(), digest.value()).chain(existing -> existing != null
                        ? Uni.createFrom().item(new Accepted(existing.eventId(), false))
                        : record(report, digest, origin)))));
    }

    private static String labelsJson(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels of strings always serialise", e);
        }
    }

    private Uni<Boolean> claim(Origin origin) {
        return origin.delivery() == null ? Uni.createFrom().item(true) : deliveries.claim(origin.delivery());
    }

    private Uni<Void> manifestExists(BuildReport report, Digest digest) {
        return Blocking.call(() -> registry.head(report.repositoryPath(), digest.value()))
                .onFailure(RegistryException.class).transform(e -> ProblemException.unavailable(
                        "the registry " + registryAddress + " could not be asked about the image: " + e.getMessage()))
                .invoke(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.unprocessable("manifest " + digest + " not found in " + report.repository()
                                + "; push the image before reporting the build");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Accepted> record(BuildReport report, Digest digest, Origin origin) {
        ArtifactPublished event = new ArtifactPublished(report.application(), report.repository(), digest,
                report.commit(), report.buildUrl(), report.author(), report.commitInstant());
        // The artifact's journey gets its correlation id here; every later event carries it.
        String chainId = UUID.randomUUID().toString();
        return outbox.append(event, chainId).chain(context -> {
            Artifact artifact = new Artifact();
            artifact.application = report.application();
            artifact.repository = report.repository();
            artifact.digest = digest.value();
            artifact.commitId = report.commit();
            artifact.buildUrl = report.buildUrl();
            artifact.author = report.author();
            artifact.reportedBy = origin.reportedBy();
            artifact.source = origin.source();
            artifact.labels = labelsJson(report.labels());
            artifact.deliveryId = origin.delivery() == null ? null : origin.delivery().id();
            artifact.eventId = context.id();
            artifact.receivedAt = Instant.now();
            return artifacts.persist(artifact).replaceWith(new Accepted(context.id(), true));
        });
    }
}
