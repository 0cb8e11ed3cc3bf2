package dev.promoter.promote.gate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What is known about one digest waiting to enter one stage, as gate evaluation needs it.
 *
 * @param digest          the digest waiting
 * @param previousStage   the stage it comes from; null when it enters the first stage
 * @param suitesPassed    whether the previous stage's suites passed (always true for the first stage)
 * @param soakSince       when its soak started: healthy in the previous stage, or, where that stage has no health
 *                        check, when it entered it; null while it is not yet healthy there
 * @param author          the person who wrote its commit (a {@code People.personOf} key); null when unknown
 * @param hotfix          whether the image carries the stage's hotfix label
 * @param requestedAt     when this request to enter the stage opened
 * @param votes           the approvals and rejections given on this request, in order
 * @param promotedBy      who promoted it by hand (for {@code promotion: manual}); null while nobody did
 * @param pin             the stage's pin; null when it is not pinned
 * @param quarantine      where and why the digest is quarantined; null when it is not
 */
public record GateFacts(String digest, String previousStage, boolean suitesPassed, Instant soakSince, String author,
                        boolean hotfix, Instant requestedAt, List<Vote> votes, String promotedBy, Pin pin,
                        Quarantine quarantine) {

    /** Facts about a digest that is not quarantined anywhere. */
    public GateFacts(String digest, String previousStage, boolean suitesPassed, Instant soakSince, String author,
                     boolean hotfix, Instant requestedAt, List<Vote> votes, String promotedBy, Pin pin) {
        this(digest, previousStage, suitesPassed, soakSince, author, hotfix, requestedAt, votes, promotedBy, pin, null);
    }

    public GateFacts {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(requestedAt, "requestedAt");
        votes = List.copyOf(votes);
    }

    /**
     * One person's decision on the request; {@code groups}: their identity provider's groups when they decided with an
     * OIDC token, which an approval rule's {@code @group} entries match too.
     */
    public record Vote(String person, boolean approve, Instant at, String comment, java.util.Set<String> groups) {
        public Vote {
            groups = java.util.Set.copyOf(groups);
        }

        public Vote(String person, boolean approve, Instant at, String comment) {
            this(person, approve, at, comment, java.util.Set.of());
        }
    }

    /** A stage held at a digest by a person. */
    /** The digest's quarantine: the stage it failed in and why. */
    public record Quarantine(String stage, String reason) {
    }

    public record Pin(String digest, String by, String reason) {
    }
}
