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
 * @param stop            the stop of the line that holds the application (its own, else every application's); null
 *                        while the line runs
 */
public record GateFacts(String digest, String previousStage, boolean suitesPassed, Instant soakSince, String author,
                        boolean hotfix, Instant requestedAt, List<Vote> votes, String promotedBy, Pin pin,
                        Quarantine quarantine, Stop stop) {

    /** Facts about a digest while the line runs. */
    public GateFacts(String digest, String previousStage, boolean suitesPassed, Instant soakSince, String author,
                     boolean hotfix, Instant requestedAt, List<Vote> votes, String promotedBy, Pin pin,
                     Quarantine quarantine) {
        this(digest, previousStage, suitesPassed, soakSince, author, hotfix, requestedAt, votes, promotedBy, pin,
                quarantine, null);
    }

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

    /** The digest's quarantine: the stage it failed in and why. */
    public record Quarantine(String stage, String reason) {
    }

    /** A stage held at a digest by a person. */
    public record Pin(String digest, String by, String reason) {
    }

    /** The line stopped by a person: {@code application} null when every application's line is stopped. */
    public record Stop(String application, String by, String reason, Instant at) {
    }
}
