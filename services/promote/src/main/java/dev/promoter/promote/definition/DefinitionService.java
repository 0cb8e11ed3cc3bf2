package dev.promoter.promote.definition;

import dev.promoter.contracts.PipelineDefined;
import dev.promoter.kit.RegistryConfig;
import dev.promoter.messaging.Outbox;
import dev.promoter.oci.ImageReference;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the pipeline definitions in the database and hands out their parsed form. */
@ApplicationScoped
public class DefinitionService implements PanacheRepositoryBase<StoredDefinition, String> {

    private final PipelineDefinitionParser parser = new PipelineDefinitionParser();
    /** Parsed definitions by their YAML text, so each text is validated once, not per event. */
    private final Map<String, PipelineDefinition> parsed = new ConcurrentHashMap<>();
    private final String registryAddress;
    private final Outbox outbox;

    DefinitionService(RegistryConfig registry, Outbox outbox) {
        this.registryAddress = registry.address();
        this.outbox = outbox;
    }

    /** The application's definition, or null when it has none. */
    public Uni<PipelineDefinition> find(String application) {
        return findById(application).map(stored -> stored == null ? null : parse(stored.yaml));
    }

    public Uni<List<StoredDefinition>> all() {
        return listAll();
    }

    /**
     * Validates and saves the YAML as the definition of {@code application}; true when it is new. Announces it
     * ({@link PipelineDefined} on {@code pipeline.definitions.v1}) through the outbox of the same transaction, so
     * the build service learns the application's repositories and source. Must run in a transaction.
     */
    public Uni<Boolean> save(String application, String yaml, String savedBy) {
        PipelineDefinition definition = parse(yaml);
        if (!definition.application().equals(application)) {
            throw new InvalidPipelineDefinitionException(List.of("application: the YAML defines '"
                    + definition.application() + "' but is saved as '" + application + "'; make them equal"));
        }
        String registry = ImageReference.parse(definition.repository()).registry();
        if (!registry.equals(registryAddress)) {
            throw new InvalidPipelineDefinitionException(List.of("repository: must be in the registry this pipeline"
                    + " manages (" + registryAddress + "), got " + definition.repository()));
        }
        return findById(application).chain(existing -> {
            StoredDefinition stored = existing == null ? new StoredDefinition() : existing;
            stored.application = application;
            stored.repository = definition.repository();
            stored.yaml = yaml;
            stored.updatedBy = savedBy;
            stored.updatedAt = Instant.now();
            Uni<Boolean> saved = existing == null ? persist(stored).replaceWith(true) : Uni.createFrom().item(false);
            return saved.call(() -> outbox.append(new PipelineDefined(application, definition.repository(),
                    definition.stageNames(), definition.source()), UUID.randomUUID().toString()));
        });
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
