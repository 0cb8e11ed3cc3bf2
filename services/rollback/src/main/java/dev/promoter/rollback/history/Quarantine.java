package dev.promoter.rollback.history;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A digest that failed health in a stage: never a rollback target there until a person lifts its quarantine. */
@Entity
@Table(name = "quarantine")
public class Quarantine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    public String reason;
    public Instant quarantinedAt;
}
