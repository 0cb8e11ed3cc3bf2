package dev.promoter.rollback.alert;

import dev.promoter.messaging.Transactions;
import dev.promoter.rollback.health.HealthPhase;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.HealthVerdict;
import dev.promoter.rollback.health.StageVerdicts;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.rollback.history.ApplicationLock;
import dev.promoter.rollback.history.Deployment;
import dev.promoter.rollback.history.CurrentMove;
import dev.promoter.rollback.history.DeploymentRepository;
import dev.promoter.rollback.history.QuarantineRepository;
import dev.promoter.rollback.history.Stage;
import dev.promoter.rollback.history.StageRepository;
import dev.promoter.rollback.health.WatchedStages;
import dev.promoter.rollback.rollback.TagInFlight;
import dev.promoter.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns Alertmanager alerts into health verdicts: a firing alert naming an application and stage is a failed verdict on
 * the digest the stage runs, carried out like a failed probe (rollback, or hold); a resolved one is recorded and
 * changes nothing else.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);

    private final Transactions transactions;
    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final AlertVerdictRepository verdicts;
    private final StageVerdicts stageVerdicts;
    private final HealthProber prober;

    AlertService(Transactions transactions, StageRepository stages, DeploymentRepository deployments,
                 QuarantineRepository quarantines, AlertVerdictRepository verdicts, StageVerdicts stageVerdicts,
                 HealthProber prober) {
        this.transactions = transactions;
        this.stages = stages;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.verdicts = verdicts;
        this.stageVerdicts = stageVerdicts;
        this.prober = prober;
    }

    /**
     * What became of one alert.
     *
     * @param application the application it names, or null
     * @param stage       the stage it names, or null
     * @param alertname   its rule
     * @param fingerprint its fingerprint
     * @param status      firing or resolved
     * @param outcome     {@code rolled-back}, {@code held}, {@code cleared}, or {@code ignored}
     * @param detail      one line for people
     */
    public record AlertOutcome(String application, String stage, String alertname, String fingerprint, String status,
                               String outcome, String detail) {
    }

    /** Acts on every alert of the notification, one after the other, and says what became of each. */
    public Uni<List<AlertOutcome>> handle(AlertmanagerNotification notification, String applicationLabel,
                                          String stageLabel) {
        Uni<List<AlertOutcome>> all = Uni.createFrom().item(new ArrayList<>());
        for (AlertmanagerNotification.Alert alert : notification.alerts()) {
            String application = alert.labels().get(applicationLabel);
            String stage = alert.labels().get(stageLabel);
            all = all.chain(list -> one(alert, application, stage, applicationLabel, stageLabel).map(outcome -> {
                list.add(outcome);
                return list;
            }));
        }
        return all.map(List::copyOf);
    }

    private Uni<AlertOutcome> one(AlertmanagerNotification.Alert alert, String application, String stage,
                                  String applicationLabel, String stageLabel) {
        if (application == null || stage == null) {
            return Uni.createFrom().item(outcome(alert, application, stage, "ignored", "the alert has no label '"
                    + (application == null ? applicationLabel : stageLabel) + "' naming the "
                    + (application == null ? "application" : "stage")));
        }
        return alert.firing() ? firing(alert, application, stage) : resolved(alert, application, stage);
    }

    private Uni<AlertOutcome> resolved(AlertmanagerNotification.Alert alert, String application, String stage) {
        Instant receivedAt = Instant.now();
        String evidence = evidence(alert);
        return transactions.inTransaction(() -> ApplicationLock.take(application)
                .chain(() -> stages.find(application, stage))
                .chain(found -> {
                    if (found == null) {
                        return Uni.createFrom().item(unknown(alert, application, stage));
                    }
                    return verdicts.record(application, stage, found.currentDigest, found.currentDeploymentId, alert,
                                    receivedAt, "cleared", evidence)
                            .map(recorded -> outcome(alert, application, stage, recorded ? "cleared" : "ignored",
                                    recorded ? "resolved; nothing to roll back" : "already recorded as resolved"));
                }));
    }

    /** What the stage looked like when a firing alert came, decided under no lock; the rollback checks again. */
    private record Reading(AlertOutcome refusal, WatchedStage watched) {
    }

    private Uni<AlertOutcome> firing(AlertmanagerNotification.Alert alert, String application, String stage) {
        Instant receivedAt = Instant.now();
        String evidence = evidence(alert);
        return Panache.withSession(() -> stages.find(application, stage).chain(found -> {
                    if (found == null) {
                        return Uni.createFrom().item(new Reading(unknown(alert, application, stage), null));
                    }
                    return verdicts.known(application, stage, alert).chain(known -> known
                            ? Uni.createFrom().item(new Reading(outcome(alert, application, stage, "ignored",
                                    "this alert episode was already acted on"), null))
                            : read(found, alert));
                }))
                .chain(reading -> {
                    if (reading.refusal() != null) {
                        return Uni.createFrom().item(reading.refusal());
                    }
                    WatchedStage watched = reading.watched();
                    HealthVerdict verdict = new HealthVerdict(HealthPhase.UNHEALTHY, receivedAt,
                            "alert " + alert.alertname() + " firing", evidence);
                    LOG.warnf("%s (%s) is unhealthy: alert %s firing since %s (fingerprint %s)", watched.key(),
                            watched.digest(), alert.alertname(), alert.startsAt(), alert.fingerprint());
                    return stageVerdicts.unhealthy(watched, verdict)
                            .onFailure(TagInFlight.class).transform(e -> ProblemException.unavailable(e.getMessage()
                                    + "; nothing was changed. Alertmanager sends the alert again"))
                            .invoke(next -> next.ifPresentOrElse(prober::watch, () -> prober.watched(application, stage)
                                    .filter(w -> w.deploymentId() == watched.deploymentId())
                                    .ifPresent(w -> prober.unwatch(application, stage))))
                            .chain(next -> recordFiring(alert, watched, receivedAt, evidence));
                });
    }

    /** Decides on the alert from a bounded window of the stage: its current move, and its rollback target if needed. */
    private Uni<Reading> read(Stage stage, AlertmanagerNotification.Alert alert) {
        Uni<CurrentMove> now = stage.currentDeploymentId == null ? Uni.createFrom().nullItem()
                : deployments.move(stage.currentDeploymentId);
        return now.chain(current -> {
            AlertDecision.Kind kind = AlertDecision.decide(alert.startsAt(), stage.promotedAt,
                    current == null || current.unhealthy());
            return switch (kind) {
                case STALE -> Uni.createFrom().item(new Reading(outcome(alert, stage.application, stage.stage,
                        "ignored", "the alert started at " + alert.startsAt() + ", before " + stage.currentDigest
                                + " entered " + stage.stage + " at " + stage.promotedAt
                                + "; it is about an earlier digest"), null));
                case ALREADY_UNHEALTHY -> Uni.createFrom().item(new Reading(outcome(alert, stage.application,
                        stage.stage, "ignored", stage.currentDigest + " was already found unhealthy in "
                                + stage.stage), null));
                case UNHEALTHY -> deployments.rollbackTarget(stage.application, stage.stage, current.digest())
                        .map(target -> new Reading(null, WatchedStages.current(stage, current, target).orElseThrow()));
            };
        });
    }

    /** Records what the firing alert did, read back from the stage's history after the rollback (or hold). */
    private Uni<AlertOutcome> recordFiring(AlertmanagerNotification.Alert alert, WatchedStage watched,
                                           Instant receivedAt, String evidence) {
        String application = watched.application();
        String stage = watched.stage();
        return transactions.inTransaction(() -> ApplicationLock.take(application)
                .chain(() -> stages.find(application, stage))
                .chain(found -> deployments.findById(watched.deploymentId()).chain(failed -> {
                    String outcome;
                    String detail;
                    if (failed != null && failed.isHeld()) {
                        outcome = "held";
                        detail = failed.heldReason + "; " + watched.digest() + " stays, quarantined";
                    } else if (failed != null && failed.isUnhealthy()
                            && !found.currentDeploymentId.equals(watched.deploymentId())) {
                        outcome = "rolled-back";
                        detail = "rolled back from " + watched.digest() + " to " + found.currentDigest;
                    } else {
                        return Uni.createFrom().item(outcome(alert, application, stage, "ignored",
                                stage + " moved on while the alert was acted on; nothing was changed"));
                    }
                    return verdicts.record(application, stage, watched.digest(), watched.deploymentId(), alert,
                                    receivedAt, outcome, evidence)
                            .replaceWith(outcome(alert, application, stage, outcome, detail));
                })));
    }

    private static AlertOutcome unknown(AlertmanagerNotification.Alert alert, String application, String stage) {
        return outcome(alert, application, stage, "ignored", "the rollback service never heard of a promotion of "
                + application + " into stage " + stage);
    }

    private static AlertOutcome outcome(AlertmanagerNotification.Alert alert, String application, String stage,
                                        String outcome, String detail) {
        return new AlertOutcome(application, stage, alert.alertname(), alert.fingerprint(), alert.status(), outcome,
                detail);
    }

    /** The alert as evidence: its rule, status, since when and its fingerprint; never its annotations. */
    static String evidence(AlertmanagerNotification.Alert alert) {
        return "alert " + alert.alertname() + " " + alert.status() + " since " + alert.startsAt() + " (fingerprint "
                + alert.fingerprint() + ")";
    }
}
