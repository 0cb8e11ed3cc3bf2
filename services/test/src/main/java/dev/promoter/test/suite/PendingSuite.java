package dev.promoter.test.suite;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A suite run that started but has not finished: an {@code http-smoke} check due at {@code dueAt}, or an
 * {@code external} suite waiting for its result until the deadline {@code dueAt}.
 */
@Entity
@Table(name = "pending_suite")
public class PendingSuite {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false)
    String application;

    @Column(nullable = false)
    String stage;

    @Column(nullable = false)
    String digest;

    @Column(nullable = false)
    String suite;

    @Column(nullable = false)
    String kind;

    @Column(nullable = false)
    int attempt;

    @Column(nullable = false)
    int retriesLeft;

    @Column(nullable = false)
    Instant startedAt;

    @Column(nullable = false)
    Instant dueAt;

    static PendingSuite of(SuiteTarget target, int attempt, int retriesLeft, Instant startedAt, Instant dueAt) {
        PendingSuite pending = new PendingSuite();
        pending.application = target.entry().application();
        pending.stage = target.entry().stage();
        pending.digest = target.entry().digest().value();
        pending.suite = target.suite().name();
        pending.kind = target.suite().kind();
        pending.attempt = attempt;
        pending.retriesLeft = retriesLeft;
        pending.startedAt = startedAt;
        pending.dueAt = dueAt;
        return pending;
    }
}
