package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The stored {@link Promotion} of a digest that had to wait to enter a stage (a gated or pinned one, or a stopped line). */
@Entity
@Table(name = "promotion_request")
public class PromotionRequest {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    public String fromStage;
    @Enumerated(EnumType.STRING)
    public PromotionPhase phase;
    public String reason;
    public Instant requestedAt;
    public String requestedBy;
    /** When the digest's soak started in the previous stage; null while it is not healthy there. */
    public Instant soakSince;
    /** The commit author as artifact.published named them. */
    public String author;
    public String commitId;
    public String buildUrl;
    public boolean hotfix;
    /** Who promoted it by hand, for a stage with promotion: manual. */
    public String promotedBy;
    public String chainId;
    /** The gates' verdict in plain words, as of the last evaluation. */
    public String explanation;
    /** When time alone changes a gate's verdict (a freeze ends, a soak completes, the request lapses). */
    public Instant nextCheckAt;
    public Instant closedAt;
    public String supersededBy;
    /**
     * The revision of the pipeline definition the request was opened under: its rules hold until the request ends,
     * beside the current ones. Null for requests opened before definitions were versioned.
     */
    public Integer definitionRevision;
    public String slackChannel;
    public String slackTs;

    /** The promotion this row stores, gated by {@code facts} (null when only its phase is to change). */
    public Promotion promotion(dev.promoter.promote.gate.GateFacts facts) {
        return Promotion.of(application, stage, digest, phase, explanation, facts);
    }

    /** Keeps what a judgement or an ending changed. */
    void keep(Promotion promotion) {
        phase = promotion.phase();
        explanation = promotion.explanation();
        nextCheckAt = promotion.nextCheckAt();
        closedAt = promotion.endedAt();
        if (promotion.supersededBy() != null) {
            supersededBy = promotion.supersededBy();
        }
    }
}
