package dev.promoter.chaos;

import java.time.Instant;
import java.util.List;

/**
 * An artifact the load reported and the build service accepted (answered 2xx): where its suites and its health let
 * it go, and in which phase of the run it was accepted.
 */
record Artifact(String application, String digest, Kind kind, Instant acceptedAt, String phase) {

    /** The stages of every chaos application, in order. */
    static final List<String> STAGES = List.of("dev", "test", "stage");

    /** What the artifact is made to do. */
    enum Kind {
        /** Passes the image checks of dev and test, healthy in stage: ends in stage. */
        GOOD,
        /** Lacks the revision label the image checks require: enters dev, fails its suite there, goes no further. */
        FAILS_SUITE,
        /** Passes the suites, enters stage, fails its health probes there: rolled back to the digest before it. */
        UNHEALTHY;

        /** The stages the artifact must enter, each exactly once. */
        List<String> stages() {
            return this == FAILS_SUITE ? STAGES.subList(0, 1) : STAGES;
        }
    }

    /** The stages it must never enter. */
    List<String> forbidden() {
        return STAGES.subList(kind.stages().size(), STAGES.size());
    }

    String shortDigest() {
        return digest.substring(7, 19);
    }

    @Override
    public String toString() {
        return application + "@" + shortDigest() + " (" + kind.name().toLowerCase() + ", " + phase + ")";
    }
}
