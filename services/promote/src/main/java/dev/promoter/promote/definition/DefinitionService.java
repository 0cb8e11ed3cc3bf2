package dev.promoter.promote.definition;

import dev.promoter.contracts.PipelineDefined;
import dev.promoter.kit.registry.RegistryConfig;
import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.messaging.AdvisoryLock;
import dev.promoter.messaging.Outbox;
import dev.promoter.oci.ImageReference;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the pipeline definitions in the database, every saved version as a numbered revision, and hands out their
 * parsed form.
 */
@ApplicationScoped
public class DefinitionService implements PanacheRepositoryBase<StoredDefinition, String> {

    private static final Logger LOG = Logger.getLogger(DefinitionService.class);

    /** What a save did. */
    public record Saved(int revision, boolean created, boolean changed, List<String> gatesChanged) {
    }

    /** Reads what was saved: no outbound check, so a stored definition reads after the allow-list shrank. */
    private final PipelineDefinitionParser parser = new PipelineDefinitionParser();
    /** Checks what is being saved, outbound URLs included. */
    private final PipelineDefinitionParser saving;
    /** Parsed definitions by their YAML text, so each text is validated once, not per event. */
    private final Map<String, PipelineDefinition> parsed = new ConcurrentHashMap<>();
    private final Map<String, PipelineDefinition> byRevision = new ConcurrentHashMap<>();
    private final String registryAddress;
    private final Outbox outbox;
    private final DefinitionRevisions revisions;
    private final Instance<DefinitionListener> listeners;

    DefinitionService(RegistryConfig registry, OutboundConfig outbound, Outbox outbox, DefinitionRevisions revisions,
                      Instance<DefinitionListener> listeners) {
        this.registryAddress = registry.address();
        this.saving = new PipelineDefinitionParser(outbound.urls());
        this.outbox = outbox;
        this.revisions = revisions;
        this.listeners = listeners;
    }

    /** The application's definition, or null when it has none. */
    public Uni<PipelineDefinition> find(String application) {
        return findById(application).map(stored -> stored == null ? null : parse(stored.yaml));
    }

    /** The definition as it was at {@code revision}, or null when there is no such revision. */
    public Uni<PipelineDefinition> find(String application, int revision) {
        // Revisions never change, so one read is enough; gate evaluation asks for them every few seconds.
        String key = revision + "@" + application;
        PipelineDefinition known = byRevision.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return revisions.of(application, revision).map(stored -> {
            if (stored == null) {
                return null;
            }
            PipelineDefinition definition = parse(stored.yaml);
            if (byRevision.size() > 1000) {
                byRevision.clear();
            }
            byRevision.put(key, definition);
            return definition;
        });
    }

    /** The application's current revision number; 0 when it has no definition. */
    public Uni<Integer> currentRevision(String application) {
        return findById(application).map(stored -> stored == null ? 0 : stored.revision);
    }

    public Uni<List<StoredDefinition>> all() {
        return listAll();
    }

    /**
     * Checks a definition about to be saved: the schema, the rules across fields and the outbound allow-list, all
     * problems in one answer. Returns it parsed.
     *
     * @throws InvalidPipelineDefinitionException naming every problem
     */
    public PipelineDefinition check(String yaml) {
        return saving.parse(yaml);
    }

    /**
     * Every check a save makes — the schema, the rules across fields, the outbound allow-list, the application's name
     * and the registry — without saving anything. Returns it parsed.
     *
     * @throws InvalidPipelineDefinitionException naming every problem
     */
    public PipelineDefinition validate(String application, String yaml) {
        PipelineDefinition definition = saving.parse(yaml);
        if (!definition.application().equals(application)) {
            throw new InvalidPipelineDefinitionException(List.of("application: the YAML defines '"
                    + definition.application() + "' but is saved as '" + application + "'; make them equal"));
        }
        String registry = ImageReference.parse(definition.repository()).registry();
        if (!registry.equals(registryAddress)) {
            throw new InvalidPipelineDefinitionException(List.of("repository: must be in the registry this pipeline"
                    + " manages (" + registryAddress + "), got " + definition.repository()));
        }
        return definition;
    }

    /** {@link #save(String, String, String, String)} without a revision to match. */
    public Uni<Saved> save(String application, String yaml, String savedBy) {
        return save(application, yaml, savedBy, null);
    }

    /**
     * Validates and saves the YAML as the definition of {@code application}. A text that differs from the current
     * one becomes the next revision (the first save is revision 1); the same text again keeps the revision. Announces
     * it ({@link PipelineDefined} on {@code pipeline.definitions.v1}, with the stages whose gates changed) through the
     * outbox of the same transaction, so the build service learns the application's repositories and source, and
     * tells the {@link DefinitionListener}s (Slack) about changed gates. Takes the application's lock, so saves and
     * gate decisions of one application happen one after another. Must run in a transaction.
     *
     * @param ifMatch the revision the caller based the save on ({@code If-Match}), or null to save regardless
     * @throws StaleRevisionException when {@code ifMatch} is not the current revision
     */
    public Uni<Saved> save(String application, String yaml, String savedBy, String ifMatch) {
        PipelineDefinition definition = validate(application, yaml);
        return AdvisoryLock.take("promote", application).chain(() -> findById(application)).chain(existing -> {
            int current = existing == null ? 0 : existing.revision;
            if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(Integer.toString(current))
                    || "*".equals(ifMatch) && existing == null) {
                throw new StaleRevisionException(application, ifMatch, current);
            }
            Instant now = Instant.now();
            if (existing != null && existing.yaml.equals(yaml)) {
                return announce(definition, current, savedBy, List.of())
                        .replaceWith(new Saved(current, false, false, List.of()));
            }
            // Read before the stored row takes the new text: listeners are told the rules before and after.
            PipelineDefinition before = existing == null ? null : previous(existing);
            List<String> gatesChanged = GateChanges.between(before, definition);
            StoredDefinition stored = existing == null ? new StoredDefinition() : existing;
            stored.application = application;
            stored.repository = definition.repository();
            stored.yaml = yaml;
            stored.updatedBy = savedBy;
            stored.updatedAt = now;
            stored.revision = current + 1;
            DefinitionRevision revision = new DefinitionRevision();
            revision.application = application;
            revision.revision = stored.revision;
            revision.yaml = yaml;
            revision.savedBy = savedBy;
            revision.savedAt = now;
            revision.gatesChanged = String.join(",", gatesChanged);
            Uni<?> saved = existing == null ? persist(stored) : Uni.createFrom().item(stored);
            Saved result = new Saved(stored.revision, existing == null, true, gatesChanged);
            return saved.chain(() -> revisions.persist(revision))
                    .chain(() -> announce(definition, stored.revision, savedBy, gatesChanged))
                    .chain(() -> tell(before, definition, result, savedBy))
                    .replaceWith(result);
        });
    }

    private Uni<Void> announce(PipelineDefinition definition, int revision, String savedBy, List<String> gatesChanged) {
        return outbox.append(new PipelineDefined(definition.application(), definition.repository(),
                definition.stageNames(), definition.source(), revision, savedBy, gatesChanged),
                UUID.randomUUID().toString()).replaceWithVoid();
    }

    private Uni<Void> tell(PipelineDefinition before, PipelineDefinition after, Saved saved, String savedBy) {
        if (saved.gatesChanged().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DefinitionListener listener : listeners) {
            chain = chain.chain(() -> listener.gatesChanged(before, after, saved.revision(), saved.gatesChanged(),
                    savedBy));
        }
        return chain;
    }

    // The current text was valid when it was saved; one that no longer reads (a rule added since) counts as none.
    private PipelineDefinition previous(StoredDefinition existing) {
        try {
            return parse(existing.yaml);
        } catch (InvalidPipelineDefinitionException e) {
            LOG.warnf("the current definition of %s no longer reads; comparing gates against none: %s",
                    existing.application, e.getMessage());
            return null;
        }
    }

    public PipelineDefinition parse(String yaml) {
        PipelineDefinition definition = parsed.get(yaml);
        if (definition == null) {
            definition = parser.parse(yaml);
            if (parsed.size() > 1000) {
                parsed.clear();
            }
            parsed.put(yaml, definition);
        }
        return definition;
    }
}
