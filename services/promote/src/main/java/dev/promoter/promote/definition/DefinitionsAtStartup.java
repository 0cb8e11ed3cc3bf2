package dev.promoter.promote.definition;

import dev.promoter.promote.config.PromoteConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Loads the definitions folder at start; a bad file stops the service rather than half-loading. */
@ApplicationScoped
class DefinitionsAtStartup {

    private static final Logger LOG = Logger.getLogger(DefinitionsAtStartup.class);

    void load(@Observes StartupEvent start, PromoteConfig config, DefinitionService definitions) throws Throwable {
        if (config.definitionsDir().isEmpty()) {
            return;
        }
        Path folder = config.definitionsDir().get();
        var loaded = new PipelineDefinitionFolder(new PipelineDefinitionParser()).load(folder);
        PipelineDefinitionParser parser = new PipelineDefinitionParser();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Multi.createFrom().iterable(loaded)
                .onItem().transformToUniAndConcatenate(definition ->
                        definitions.save(definition.application(), parser.toYaml(definition), "folder " + folder))
                .collect().asList()));
        LOG.infof("loaded %d pipeline definition(s) from %s", loaded.size(), folder);
    }
}
