package dev.promoter.test.messaging;

/** The reactive messaging channels of the test service; their topics are set in application.properties. */
public final class Channels {

    /** Promotions ({@code service.deployed}, {@code service.upgraded}) from {@code pipeline.promotions.v1}. */
    public static final String PROMOTIONS = "promotions";

    /** The consumer name of this service: its inbox key and the suffix of its dead-letter topics. */
    public static final String CONSUMER = "test";

    private Channels() {
    }
}
