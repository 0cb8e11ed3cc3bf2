package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** When a digest was first found healthy in a stage, as the rollback service announced it. */
@Entity
@Table(name = "stage_health")
public class StageHealth {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    public Instant healthyAt;
}
