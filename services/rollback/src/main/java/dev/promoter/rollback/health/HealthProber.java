package dev.promoter.rollback.health;

import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.messaging.Contexts;
import dev.promoter.kit.outbound.OutboundUrls;
import dev.promoter.rollback.config.RollbackConfig;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Probes the health endpoint of every watched stage every {@code interval}, with {@code timeout}, feeds the
 * results to the stage's {@link HealthWatch}, and hands each verdict to {@link StageVerdicts}. One watch per
 * stage; a newer deployment of the stage replaces its watch, an older one never does.
 */
@ApplicationScoped
public class HealthProber {

    private static final Logger LOG = Logger.getLogger(HealthProber.class);

    private final Vertx vertx;
    private final StageVerdicts verdicts;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final HttpClient http;
    private final OutboundUrls outbound;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Ownership ownership;

    /** Public for the tests that run a second replica's prober next to the service's own. */
    public HealthProber(Vertx vertx, StageVerdicts verdicts, RollbackConfig config, OutboundConfig outbound,
                        MeterRegistry meters, Ownership ownership) {
        this.ownership = ownership;
        this.outbound = outbound.urls();
        this.meters = meters;
        this.vertx = vertx;
        this.verdicts = verdicts;
        this.retryBackoff = config.retryBackoff();
        this.maxRetryBackoff = config.maxRetryBackoff();
        // HTTP/1.1: no upgrade attempt per probe; redirects are not followed, a 3xx is a failure like any non-2xx.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Starts probing the stage, with a fresh grace period from its {@code promotedAt}. The watch in place stays
     * when it is of the same deployment and policy (a redelivery, or a lifted quarantine) or of a newer deployment;
     * of the same deployment it takes the given rollback target, which was read from the database later. A stage of an
     * application whose promotions partition another replica owns is left to that replica (it reads the stage from the
     * database, StageTakeover).
     */
    public void watch(WatchedStage stage) {
        if (stage.policy() == null) {
            return;
        }
        if (!ownership.owns(stage.application())) {
            LOG.debugf("not probing %s: another replica owns the partition of %s", stage.key(), stage.application());
            return;
        }
        watches.compute(stage.key(), (key, existing) -> {
            if (existing != null && !existing.replaceableBy(stage)) {
                if (existing.stage.deploymentId() == stage.deploymentId()
                        && !java.util.Objects.equals(existing.stage.rollbackTarget(), stage.rollbackTarget())) {
                    // Same deployment, same probing and health so far: only where a rollback would go changed.
                    existing.stage = existing.stage.withRollbackTarget(stage.rollbackTarget());
                    LOG.infof("%s (%s) would now roll back to %s", stage.key(), short12(stage.digest()),
                            stage.rollbackTarget() == null ? "nothing" : short12(stage.rollbackTarget().digest()));
                }
                return existing;
            }
            if (existing != null) {
                existing.stop();
            }
            Watch watch = new Watch(stage);
            watch.start();
            return watch;
        });
    }

    /** Stops probing the stage, e.g. when its health policy went away. */
    public void unwatch(String application, String stage) {
        Watch watch = watches.remove(WatchedStage.key(application, stage));
        if (watch != null) {
            watch.stop();
            LOG.infof("stopped probing %s", watch.stage.key());
        }
    }

    /** Stops probing the stages of every application the predicate refuses; returns how many stopped. */
    public int keepOnly(Predicate<String> applications) {
        int stopped = 0;
        for (Watch watch : watches.values()) {
            if (!applications.test(watch.stage.application()) && watches.remove(watch.stage.key(), watch)) {
                watch.stop();
                stopped++;
                LOG.infof("stopped probing %s: another replica owns the partition of %s now", watch.stage.key(),
                        watch.stage.application());
            }
        }
        return stopped;
    }

    /** The {@code <application>/<stage>} keys of the stages probed now. */
    public Set<String> watching() {
        return watches.values().stream().filter(w -> !w.stopped).map(w -> w.stage.key()).collect(Collectors.toSet());
    }

    /** The deployment a stage's watch is about, if the stage is probed now. */
    public Optional<WatchedStage> watched(String application, String stage) {
        return Optional.ofNullable(watches.get(WatchedStage.key(application, stage))).filter(w -> !w.stopped)
                .map(w -> w.stage);
    }

    @PreDestroy
    public void stopAll() {
        watches.values().forEach(Watch::stop);
        watches.clear();
    }

    /** How a probe that did not answer is shown as evidence; never the URL's credentials or query. */
    static String describe(Throwable failure, Duration timeout) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OutboundUrls.RefusedUrlException) {
            return cause.getMessage();
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "timeout after " + timeout.toMillis() + " ms";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause instanceof ConnectException || root instanceof ConnectException) {
            String message = root.getMessage() == null ? cause.getMessage() : root.getMessage();
            return message == null || message.toLowerCase().contains("refused")
                    ? "connection refused" : "connection failed: " + message;
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private Duration backoff(int attempt) {
        Duration delay = retryBackoff.multipliedBy(1L << Math.min(attempt, 20));
        return delay.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : delay;
    }

    /** The probing of one deployment in one stage. Its state is touched only on its own Vert.x context. */
    private final class Watch {

        /** Replaced only to change its rollback target; read anew by every verdict. */
        volatile WatchedStage stage;
        final HealthWatch health;
        final Context context;
        final Duration timeout;
        volatile boolean stopped;
        volatile long timerId = -1;
        boolean inFlight;

        Watch(WatchedStage stage) {
            this.stage = stage;
            this.health = HealthWatch.resume(stage.policy(), stage.promotedAt(), stage.healthy());
            this.context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            this.timeout = stage.policy().timeout();
        }

        boolean replaceableBy(WatchedStage next) {
            return next.deploymentId() > stage.deploymentId()
                    || next.deploymentId() == stage.deploymentId() && !next.policy().equals(stage.policy());
        }

        void start() {
            LOG.infof("probing %s (%s) at %s every %d ms, grace period until %s", stage.key(), short12(stage.digest()),
                    HealthWatch.describe(stage.policy().url()), stage.policy().interval().toMillis(), health.graceEndsAt());
            context.runOnContext(ignored -> {
                if (!stopped) {
                    timerId = vertx.setPeriodic(1, stage.policy().interval().toMillis(), id -> onContext(this::probe));
                }
            });
        }

        void stop() {
            stopped = true;
            cancelTimer();
        }

        void cancelTimer() {
            long id = timerId;
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
        }

        void onContext(Runnable action) {
            if (Vertx.currentContext() == context) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }

        void probe() {
            if (stopped) {
                cancelTimer();
                return;
            }
            // The timeout is shorter than the interval, so this only skips a tick when the JDK is late to time out.
            if (inFlight) {
                return;
            }
            inFlight = true;
            Instant at = Instant.now();
            HttpRequest request = HttpRequest.newBuilder(stage.policy().url()).timeout(timeout).GET().build();
            // Checked at every probe: a listed name may come to resolve to a metadata address.
            outbound.refusalAsync(stage.policy().url(), io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                    .thenCompose(refusal -> refusal.isPresent()
                            ? CompletableFuture.<HttpResponse<Void>>failedFuture(
                                    new OutboundUrls.RefusedUrlException(refusal.get()))
                            : http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((response, failure) -> {
                        ProbeResult result = failure == null ? ProbeResult.answered(at, response.statusCode())
                                : ProbeResult.failed(at, describe(failure, timeout));
                        context.runOnContext(ignored -> onResult(result));
                    });
        }

        void onResult(ProbeResult result) {
            inFlight = false;
            if (stopped) {
                return;
            }
            LOG.tracef("probe of %s: %s", stage.key(), result.evidence());
            if (!result.success()) {
                meters.counter("pipeline.probe.failures", "application", stage.application(), "stage", stage.stage())
                        .increment();
            }
            health.record(result, Instant.now()).ifPresent(this::onVerdict);
        }

        void onVerdict(HealthVerdict verdict) {
            if (verdict.phase() == HealthPhase.HEALTHY) {
                LOG.infof("%s (%s) is healthy: %s", stage.key(), short12(stage.digest()), verdict.reason());
                retrying("record that " + stage.key() + " is healthy", () -> verdicts.healthy(stage, verdict),
                        done -> { }, 0);
                return;
            }
            cancelTimer();
            LOG.warnf("%s (%s) is unhealthy at %s: %s; evidence: %s", stage.key(), short12(stage.digest()),
                    verdict.at(), verdict.reason(), verdict.evidence());
            retrying("act on the unhealthy verdict on " + stage.key(), () -> verdicts.unhealthy(stage, verdict),
                    next -> {
                        if (next.isPresent()) {
                            watch(next.get());
                        } else if (watches.remove(stage.key(), this)) {
                            stop();
                        }
                    }, 0);
        }

        /** Carries out an action until it succeeds, as long as this watch is still the stage's. */
        <T> void retrying(String what, Supplier<Uni<T>> action, Consumer<T> done, int attempt) {
            if (stopped) {
                return;
            }
            Contexts.onFreshContext(vertx, action).subscribe().with(done, failure -> {
                if (stopped || watches.get(stage.key()) != this) {
                    return;
                }
                Duration delay = backoff(attempt);
                LOG.warnf("could not %s (attempt %d), trying again in %d ms: %s", what, attempt + 1, delay.toMillis(),
                        failure.toString());
                vertx.setTimer(Math.max(1, delay.toMillis()), id -> retrying(what, action, done, attempt + 1));
            });
        }
    }

    private static String short12(String digest) {
        return digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
    }
}
