package dev.promoter.test.suite;

import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** One finished run of a stage's suite against an artifact, with its verdict. */
@Entity
@Table(name = "suite_run")
public class SuiteRun {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false)
    String application;

    @Column(nullable = false)
    String digest;

    @Column(nullable = false)
    String stage;

    @Column(nullable = false)
    String suite;

    /** 1 for the first run of this suite on this artifact in this stage, then 2, 3, ... */
    @Column(nullable = false)
    int attempt;

    /** The CDEvents spelling of the outcome: success, failure, error or cancel. */
    @Column(nullable = false)
    String outcome;

    String reason;

    @Column(nullable = false)
    Instant startedAt;

    @Column(nullable = false)
    Instant finishedAt;

    /** The runner it came from; null for runs recorded before kinds were kept. */
    String kind;

    static SuiteRun finished(StageEntry entry, String suite, int attempt, SuiteRunVerdict verdict, Instant startedAt,
                             Instant finishedAt) {
        SuiteRun run = new SuiteRun();
        run.application = entry.application();
        run.digest = entry.digest().value();
        run.stage = entry.stage();
        run.suite = suite;
        run.attempt = attempt;
        run.outcome = verdict.outcome().wireValue();
        run.reason = verdict.reason();
        run.startedAt = startedAt;
        run.finishedAt = finishedAt;
        return run;
    }

    static SuiteRun finished(SuiteTarget target, int attempt, SuiteRunVerdict verdict, Instant startedAt,
                             Instant finishedAt) {
        SuiteRun run = finished(target.entry(), target.suite().name(), attempt, verdict, startedAt, finishedAt);
        run.kind = target.suite().kind();
        return run;
    }

    Outcome outcome() {
        return Outcome.fromWireValue(outcome);
    }

    long durationMs() {
        return Duration.between(startedAt, finishedAt).toMillis();
    }
}
