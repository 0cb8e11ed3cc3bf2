package dev.promoter.testinfra;

/** A Kafka broker a test talks to: an embedded KRaft process or a Testcontainers container. */
public interface KafkaUnderTest {

    String bootstrapServers();

    /** Stops the broker; tests use it to see how the services behave when Kafka is gone. */
    void stop();
}
