package dev.promoter.rollback.outgoing;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One call the rollback service owes someone about a stage: a deploy hook or a Slack notice, with its attempts. */
@Entity
@Table(name = "outgoing_call")
public class OutgoingCall {

    public static final String DEPLOY_HOOK = "deploy-hook";
    public static final String SLACK = "slack";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String kind;
    public String application;
    public String stage;
    public String digest;
    /** The hook's URL or the Slack channel. */
    public String target;
    public String secretName;
    public String body;
    public String status;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant leaseUntil;
    public String lastOutcome;
    public String attemptLog;
    public Instant createdAt;
    public Instant finishedAt;

    static OutgoingCall pending(String kind, String application, String stage, String digest, String target,
                                String secretName, String body, Instant now) {
        OutgoingCall call = new OutgoingCall();
        call.kind = kind;
        call.application = application;
        call.stage = stage;
        call.digest = digest;
        call.target = target;
        call.secretName = secretName;
        call.body = body;
        call.status = CallPhase.PENDING.name();
        call.nextAttemptAt = now;
        call.attemptLog = "";
        call.createdAt = now;
        return call;
    }

    /** Records one attempt: done when it succeeded or was the last one allowed, else due again after {@code backoff}. */
    void attempted(Instant at, boolean succeeded, String outcome, int maxAttempts, java.time.Duration backoff) {
        attempts++;
        lastOutcome = outcome;
        attemptLog = attemptLog + (attemptLog.isEmpty() ? "" : "\n") + "attempt " + attempts + " at " + at + ": "
                + outcome;
        leaseUntil = null;
        if (succeeded) {
            status = CallPhase.SUCCEEDED.name();
            finishedAt = at;
        } else if (attempts >= maxAttempts) {
            status = CallPhase.FAILED.name();
            finishedAt = at;
        } else {
            nextAttemptAt = at.plus(backoff);
        }
    }

    /** A new round of attempts for a call that used up its own, recorded in its log with who asked for it. */
    void retry(String by, Instant at) {
        if (!CallPhase.FAILED.name().equals(status)) {
            throw new IllegalStateException("only a FAILED call is retried, not a " + status + " one");
        }
        attemptLog = attemptLog + (attemptLog.isEmpty() ? "" : "\n") + "retried by " + by + " at " + at + " after "
                + attempts + " attempts";
        attempts = 0;
        status = CallPhase.PENDING.name();
        nextAttemptAt = at;
        leaseUntil = null;
        finishedAt = null;
    }
}
