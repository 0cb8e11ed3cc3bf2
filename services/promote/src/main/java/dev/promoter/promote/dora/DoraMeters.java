package dev.promoter.promote.dora;

import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The DORA figures of every application's stages over the last 30 days as Prometheus gauges, refreshed from the
 * recorded facts: {@code pipeline_dora_deployment_frequency_per_day}, {@code pipeline_dora_lead_time_median_seconds},
 * {@code pipeline_dora_change_failure_rate}, {@code pipeline_dora_time_to_restore_median_seconds}; NaN where a
 * figure has nothing to count yet.
 */
@ApplicationScoped
public class DoraMeters {

    private static final Logger LOG = Logger.getLogger(DoraMeters.class);
    static final Duration WINDOW = Duration.ofDays(30);

    private final DefinitionService definitions;
    private final DoraService dora;
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<DoraFigures>> figures = new ConcurrentHashMap<>();

    DoraMeters(DefinitionService definitions, DoraService dora, MeterRegistry registry) {
        this.definitions = definitions;
        this.dora = dora;
        this.registry = registry;
    }

    @Scheduled(every = "${promote.dora.refresh-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return Panache.withSession(() -> definitions.all()
                        .onItem().transformToMulti(stored -> Multi.createFrom().iterable(stored))
                        .onItem().transformToUniAndConcatenate(stored -> refresh(definitions.parse(stored.yaml)))
                        .collect().last())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("DORA gauges not refreshed, the next run tries again: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> refresh(PipelineDefinition definition) {
        return Multi.createFrom().iterable(definition.stageNames())
                .onItem().transformToUniAndConcatenate(stage -> dora.figures(definition.application(), stage, WINDOW)
                        .invoke(computed -> holder(definition.application(), stage).set(computed)))
                .collect().last().replaceWithVoid();
    }

    private AtomicReference<DoraFigures> holder(String application, String stage) {
        return figures.computeIfAbsent(application + "\n" + stage, key -> {
            AtomicReference<DoraFigures> holder = new AtomicReference<>();
            Tags tags = Tags.of("application", application, "stage", stage);
            gauge("pipeline.dora.deployment.frequency.per.day", "moves into the stage per day, last 30 days", tags,
                    holder, DoraFigures::deploymentsPerDay);
            gauge("pipeline.dora.lead.time.median.seconds", "median commit → move into the stage, last 30 days",
                    tags, holder, f -> seconds(f.leadTime()));
            gauge("pipeline.dora.change.failure.rate", "moves found unhealthy ÷ moves, last 30 days", tags, holder,
                    f -> f.changeFailureRate() == null ? Double.NaN : f.changeFailureRate());
            gauge("pipeline.dora.time.to.restore.median.seconds", "median unhealthy verdict → healthy again, last 30 days",
                    tags, holder, f -> seconds(f.timeToRestore()));
            return holder;
        });
    }

    private void gauge(String name, String description, Tags tags, AtomicReference<DoraFigures> holder,
                       ToDoubleFunction<DoraFigures> figure) {
        Gauge.builder(name, holder, h -> h.get() == null ? Double.NaN : figure.applyAsDouble(h.get()))
                .description(description).tags(tags).register(registry);
    }

    private static double seconds(Duration duration) {
        return duration == null ? Double.NaN : duration.toMillis() / 1000.0;
    }
}
