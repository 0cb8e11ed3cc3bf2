package dev.promoter.promote.dora;

import dev.promoter.promote.history.Deployment;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.artifact.ReceivedArtifact;
import dev.promoter.promote.artifact.ReceivedArtifacts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a stage's moves, commit times and health signals and hands them to {@link DoraCalculator}. */
@ApplicationScoped
public class DoraService {

    static final String DEFAULT_STAGE = "prod";

    private final DeploymentRepository deployments;
    private final ReceivedArtifacts artifacts;
    private final StageSignals signals;
    private final Clock clock = Clock.systemUTC();

    DoraService(DeploymentRepository deployments, ReceivedArtifacts artifacts, StageSignals signals) {
        this.deployments = deployments;
        this.artifacts = artifacts;
        this.signals = signals;
    }

    /** The stage figures are about when none is asked for: prod, or the last stage of a pipeline without one. */
    public static String defaultStage(List<String> stageNames) {
        return stageNames.contains(DEFAULT_STAGE) ? DEFAULT_STAGE : stageNames.get(stageNames.size() - 1);
    }

    /** The figures of the application's stage over the window ending now; needs a session. */
    public Uni<DoraFigures> figures(String application, String stage, Duration window) {
        return artifacts.ofApplication(application).chain(known -> deployments.history(application)
                .chain(history -> signals.of(application, stage).map(stageSignals -> {
                    Map<String, ReceivedArtifact> byDigest = new HashMap<>();
                    known.forEach(artifact -> byDigest.putIfAbsent(artifact.digest, artifact));
                    List<DoraCalculator.Move> moves = history.stream()
                            .filter(deployment -> deployment.stage.equals(stage))
                            .map(deployment -> move(deployment, byDigest.get(deployment.digest)))
                            .toList();
                    List<DoraCalculator.Signal> told = stageSignals.stream()
                            .map(s -> new DoraCalculator.Signal(s.digest, s.signalledAt, s.healthy))
                            .toList();
                    return DoraCalculator.compute(stage, moves, told, clock.instant(), window);
                })));
    }

    private static DoraCalculator.Move move(Deployment deployment, ReceivedArtifact artifact) {
        return new DoraCalculator.Move(deployment.digest, deployment.movedAt,
                artifact == null ? null : artifact.commitTime, deployment.isRollback());
    }
}
