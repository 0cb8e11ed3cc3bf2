package dev.promoter.build.artifact;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.kit.Blocking;
import dev.promoter.kit.ProblemException;
import dev.promoter.kit.RegistryConfig;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Accepts build reports: checks the image really is in the registry, records it and announces it. */
@ApplicationScoped
public class ArtifactService {

    private final ArtifactRepository artifacts;
    private final Transactions transactions;
    private final Outbox outbox;
    private final RegistryClient registry;
    private final String registryAddress;

    ArtifactService(ArtifactRepository artifacts, Transactions transactions, Outbox outbox, RegistryClient registry,
                    RegistryConfig registryConfig) {
        this.artifacts = artifacts;
        this.transactions = transactions;
        this.outbox = outbox;
        this.registry = registry;
        this.registryAddress = registryConfig.address();
    }

    /** The result of a report: the announcing event's id, and whether this report was the first. */
    public record Accepted(String eventId, boolean first) {
    }

    /**
     * Records the reported artifact and publishes {@code artifact.published} in the same transaction.
     * Reporting the same digest again changes nothing and answers with the first event's id.
     */
    public Uni<Accepted> accept(BuildReport report, String caller) {
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
                artifacts.findByDigest(report.application(), digest.value()).chain(existing -> existing != null
                        ? Uni.createFrom().item(new Accepted(existing.eventId(), false))
                        : record(report, digest, caller))));
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

    private Uni<Accepted> record(BuildReport report, Digest digest, String caller) {
        ArtifactPublished event = new ArtifactPublished(report.application(), report.repository(), digest,
                report.commit(), report.buildUrl(), report.author());
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
            artifact.reportedBy = caller;
            artifact.eventId = context.id();
            artifact.receivedAt = Instant.now();
            return artifacts.persist(artifact).replaceWith(new Accepted(context.id(), true));
        });
    }
}
