package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One finished run of a stage's suite against one digest. */
@Entity
@Table(name = "suite_result")
public class SuiteResult {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String digest;
    public String stage;
    public String suite;
    public int attempt;
    /** CDEvents outcome: success, failure, error or cancel. */
    public String outcome;
    public String reason;
    public Instant finishedAt;
}
