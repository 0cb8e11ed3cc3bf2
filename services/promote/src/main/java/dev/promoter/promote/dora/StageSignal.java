package dev.promoter.promote.dora;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A health signal of a stage as an event told it: healthy (service.healthy) or not (rolled back, quarantined). */
@Entity
@Table(name = "stage_signal")
public class StageSignal {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    public boolean healthy;
    public Instant signalledAt;
    /** The event it came from: a replayed event adds nothing. */
    public String eventId;
}
