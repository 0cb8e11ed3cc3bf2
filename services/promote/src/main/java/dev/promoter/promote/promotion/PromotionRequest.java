package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One digest waiting to enter one gated stage, and how that ended. */
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
    public RequestPhase phase;
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

    /** Ends the request; refuses to end one that already ended. */
    void close(RequestPhase outcome, String words, Instant at) {
        if (phase.isTerminal()) {
            throw new IllegalStateException("request " + id + " is already " + phase);
        }
        if (outcome == RequestPhase.PENDING) {
            throw new IllegalArgumentException("closing needs a terminal phase");
        }
        phase = outcome;
        explanation = words;
        closedAt = at;
        nextCheckAt = null;
    }
}
