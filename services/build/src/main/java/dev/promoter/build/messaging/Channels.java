package dev.promoter.build.messaging;

/** The reactive messaging channels of the build service; their topics are set in application.properties. */
public final class Channels {

    /** Pipeline definitions ({@code promoter-pipeline.defined}) from {@code pipeline.definitions.v1}. */
    public static final String DEFINITIONS = "definitions";

    /** The consumer name of this service: its inbox key and the suffix of its dead-letter topics. */
    public static final String CONSUMER = "build";

    private Channels() {
    }
}
