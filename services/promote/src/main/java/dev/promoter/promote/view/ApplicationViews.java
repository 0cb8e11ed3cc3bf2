package dev.promoter.promote.view;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.promoter.kit.page.Pages;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import dev.promoter.promote.artifact.ReceivedArtifact;
import dev.promoter.promote.artifact.ReceivedArtifacts;
import dev.promoter.promote.gate.GateStatus;
import dev.promoter.promote.history.HistoryPages;
import dev.promoter.promote.history.Quarantine;
import dev.promoter.promote.history.QuarantineRepository;
import dev.promoter.promote.history.StageHistory;
import dev.promoter.promote.promotion.PromotionFacts;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.StagePin;
import dev.promoter.promote.stop.LineStops;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The read views of applications, for the API, the CLI and the dashboard: each stage's current digest, rollback
 * target, quarantine, history, waiting digests with their gates, pin, and the stop of the line. Read-only; callers
 * hold a session.
 */
@ApplicationScoped
public class ApplicationViews {

    private final DefinitionService definitions;
    private final QuarantineRepository quarantines;
    private final ReceivedArtifacts artifacts;
    private final GateRepositories.Requests requests;
    private final GateRepositories.Pins pins;
    private final PromotionFacts facts;
    private final GateRepositories.Stops stops;
    private final HistoryPages histories;

    ApplicationViews(DefinitionService definitions,
                        QuarantineRepository quarantines, ReceivedArtifacts artifacts,
                        GateRepositories.Requests requests, GateRepositories.Pins pins, PromotionFacts facts,
                        GateRepositories.Stops stops, HistoryPages histories) {
        this.histories = histories;
        this.stops = stops;
        this.requests = requests;
        this.pins = pins;
        this.facts = facts;
        this.definitions = definitions;
        this.quarantines = quarantines;
        this.artifacts = artifacts;
    }

    /** One application in the list. */
    public record ApplicationSummary(String application, String repository, List<String> stages) {
    }

    /**
     * One application: each stage's current digest, rollback target, quarantine and history, and its artifacts (the
     * newest {@code limit} and those its stages run);
     * {@code stoppedLine}: the stop of the line holding it (its own, else every application's), null while it runs.
     */
    public record ApplicationView(String application, String repository, List<StageView> stages,
                                  List<ArtifactView> artifacts, LineStops.StopView stoppedLine) {
    }

    /** An artifact heard of, newest first: where it came from, and why it is not moving when it is not. */
    public record ArtifactView(String digest, String commit, String buildUrl, String author, Instant receivedAt,
                               String note) {
    }

    /**
     * One stage of an application; {@code history}: one page of its moves, newest first, and {@code historyNextBefore}
     * the {@code before} of the next (older) page, null on the last; {@code pending}: digests waiting to enter it, each
     * gate met or not, in words; {@code currentMove}: the move that put the current digest there (for the dashboard,
     * whichever page of the history is shown).
     */
    public record StageView(String name, String current, String rollbackTarget, List<String> quarantined,
                            List<StageHistory.Entry> history, List<PendingView> pending, PinView pin,
                            Long historyNextBefore, @JsonIgnore StageHistory.Entry currentMove) {
    }

    /** A digest waiting to enter a stage: why, in one line, and each gate's verdict. */
    public record PendingView(String digest, String from, Instant requestedAt, String requestedBy, String author,
                              String blockedBecause, List<GateStatus> gates) {
    }

    /** The digest a stage is held at, by whom and why. */
    public record PinView(String digest, String by, String reason, Instant at) {
    }

    /** Every defined application. */
    public Uni<List<ApplicationSummary>> list() {
        return definitions.all().map(all -> all.stream()
                .map(stored -> definitions.parse(stored.yaml))
                .map(d -> new ApplicationSummary(d.application(), d.repository(), d.stageNames()))
                .toList());
    }

    /**
     * One application, each stage's history one page long: its newest {@code size} moves, except {@code pagedStage}'s
     * (when not null), which shows the page below {@code before} (see {@link dev.promoter.kit.page.Pages}); 404 when
     * it has no pipeline definition.
     */
    public Uni<ApplicationView> get(String application, int size, String pagedStage, Long before) {
        return definitions.find(application).chain(definition -> {
            if (definition == null) {
                throw notDefined(application);
            }
            if (pagedStage != null && definition.stage(pagedStage).isEmpty()) {
                throw noStage(definition, pagedStage);
            }
            return windows(definition, size, pagedStage, before).chain(windows -> quarantines.ofApplication(application)
                    .chain(quarantined -> artifacts.newest(application, size, running(windows))
                            .chain(received -> pending(definition).chain(pending -> pins.ofApplication(application)
                                    .chain(pinned -> stops.holding(application).map(stop -> view(definition,
                                            windows, quarantined, received, pending, pinned,
                                            stop == null ? null : LineStops.StopView.of(stop))))))));
        });
    }

    /** One page of one stage's history; 404 when the application has no pipeline definition or no such stage. */
    public Uni<StageHistory> history(String application, String stage, int size, Long before) {
        return definitions.find(application).chain(definition -> {
            if (definition == null) {
                throw notDefined(application);
            }
            if (definition.stage(stage).isEmpty()) {
                throw noStage(definition, stage);
            }
            return histories.window(application, stage, size, before).map(window -> StageHistory.page(stage, window));
        });
    }

    private static ProblemException noStage(PipelineDefinition definition, String stage) {
        return ProblemException.notFound("application " + definition.application() + " has no stage " + stage
                + "; its stages are " + String.join(", ", definition.stageNames()));
    }

    private static ProblemException notDefined(String application) {
        return ProblemException.notFound("application " + application + " has no pipeline definition;"
                + " PUT /api/v1/applications/" + application + "/pipeline to define one");
    }

    /** The digests the stages run now. */
    private static List<String> running(Map<String, HistoryPages.Window> windows) {
        return windows.values().stream().filter(w -> w.current() != null).map(w -> w.current().digest).distinct()
                .toList();
    }

    /** Each stage's window on its history, one stage after the other, as a reactive session allows. */
    private Uni<Map<String, HistoryPages.Window>> windows(PipelineDefinition definition, int size, String pagedStage,
                                                          Long before) {
        Uni<Map<String, HistoryPages.Window>> windows = Uni.createFrom().item(new HashMap<>());
        for (String stage : definition.stageNames()) {
            windows = windows.chain(found -> histories.window(definition.application(), stage, size,
                            stage.equals(pagedStage) ? before : null).map(window -> {
                        found.put(stage, window);
                        return found;
                    }));
        }
        return windows;
    }

    /** Every waiting promotion, evaluated now; one after the other, as a reactive session allows. */
    private Uni<Map<String, List<PendingView>>> pending(PipelineDefinition definition) {
        Instant now = Instant.now();
        return requests.waitingOf(definition.application()).chain(open -> {
            Uni<Map<String, List<PendingView>>> views = Uni.createFrom().item(new HashMap<>());
            for (PromotionRequest request : open) {
                if (definition.stage(request.stage).isEmpty()) {
                    continue;
                }
                views = views.chain(list -> facts.evaluate(definition, request, now).map(evaluation -> {
                    list.computeIfAbsent(request.stage, s -> new ArrayList<>()).add(new PendingView(request.digest, request.fromStage, request.requestedAt, request.requestedBy,
                            request.author, evaluation.explanation(), evaluation.gates()));
                    return list;
                }));
            }
            return views;
        });
    }

    private static ApplicationView view(PipelineDefinition definition, Map<String, HistoryPages.Window> windows,
                                        List<Quarantine> quarantined, List<ReceivedArtifact> received,
                                        Map<String, List<PendingView>> pending, List<StagePin> pinned,
                                        LineStops.StopView stop) {
        List<StageView> stages = definition.stageNames().stream().map(stage -> {
            Set<String> quarantinedHere = quarantined.stream().filter(q -> q.stage.equals(stage))
                    .map(q -> q.digest).collect(Collectors.toSet());
            HistoryPages.Window window = windows.get(stage);
            StageHistory history = StageHistory.page(stage, window);
            StageHistory.Entry currentMove = window.current() == null ? null
                    : StageHistory.page(stage, new HistoryPages.Window(window.current(), window.target(),
                    new Pages.Page<>(List.of(window.current()), null))).deployments().get(0);
            PinView pin = pinned.stream().filter(p -> p.stage.equals(stage)).findFirst()
                    .map(p -> new PinView(p.digest, p.pinnedBy, p.reason, p.pinnedAt)).orElse(null);
            return new StageView(stage, history.current(), history.rollbackTarget(),
                    List.copyOf(quarantinedHere), history.deployments(), pendingIn(pending, stage), pin,
                    history.nextBefore(), currentMove);
        }).toList();
        List<ArtifactView> artifacts = received.stream()
                .map(a -> new ArtifactView(a.digest, a.commitId, a.buildUrl, a.author, a.receivedAt, a.note))
                .toList();
        return new ApplicationView(definition.application(), definition.repository(), stages, artifacts, stop);
    }

    private static List<PendingView> pendingIn(Map<String, List<PendingView>> pending, String stage) {
        return List.copyOf(pending.getOrDefault(stage, List.of()));
    }
}
