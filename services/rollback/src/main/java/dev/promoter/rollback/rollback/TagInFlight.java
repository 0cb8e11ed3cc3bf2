package dev.promoter.rollback.rollback;

/**
 * The stage's registry tag does not point at the digest its history says it runs: a promotion this service has not
 * heard of yet moved it, or someone moved it by hand. Nothing was moved; the verdict is tried again later (by then the
 * promotion is recorded and the verdict stale, or the drift is resolved).
 */
public class TagInFlight extends RuntimeException {

    public TagInFlight(String message) {
        super(message);
    }
}
