package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of the audit trail: who decided what, when, through which door, on which digest. */
@Entity
@Table(name = "promotion_decision")
public class PromotionDecision {

    /** What was decided; stored by name, shown by its word ({@code approve}). */
    public enum Kind {
        APPROVE, REJECT, PROMOTE, PIN, UNPIN, STOP, RESUME, ROLLBACK;

        /** The word people and the API use: {@code approve}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether this decision is a vote on a waiting promotion (approve or reject). */
        public boolean isVote() {
            return this == APPROVE || this == REJECT;
        }

        /** The decision a word names ({@code approve}), or null for none. */
        public static Kind ofWord(String word) {
            for (Kind kind : values()) {
                if (kind.word().equals(word)) {
                    return kind;
                }
            }
            return null;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Long requestId;
    public String application;
    public String stage;
    public String digest;
    @Enumerated(EnumType.STRING)
    public Kind decision;
    /** The person, as the pipeline definition's people name them (or the identity when nobody claims it). */
    public String person;
    /** The identity they acted under: slack:U…, api:<caller>. */
    public String identity;
    /** The door: slack or api. */
    public String via;
    public String comment;
    public Instant decidedAt;
    /** The identity provider's groups of an OIDC caller, newline-separated; null otherwise. */
    public String callerGroups;

    public static PromotionDecision of(Kind kind, Long requestId, String application, String stage, String digest,
                                       String person, String identity, String via, String comment, Instant at) {
        PromotionDecision decision = new PromotionDecision();
        decision.decision = kind;
        decision.requestId = requestId;
        decision.application = application;
        decision.stage = stage;
        decision.digest = digest;
        decision.person = person;
        decision.identity = identity;
        decision.via = via;
        decision.comment = comment;
        decision.decidedAt = at;
        return decision;
    }

    /** This decision, made by a caller in these identity-provider groups. */
    public PromotionDecision byGroups(java.util.Set<String> groups) {
        callerGroups = groups.isEmpty() ? null : String.join("\n", new java.util.TreeSet<>(groups));
        return this;
    }

    /** The groups of {@link #callerGroups}. */
    public java.util.Set<String> groups() {
        return callerGroups == null ? java.util.Set.of() : java.util.Set.of(callerGroups.split("\n"));
    }
}
