package dev.promoter.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A dead letter handed back to its consumer's {@code @Incoming} method by a person: {@link IncomingEvents} tries it
 * once, without retries or dead-lettering, and records the replay in the transaction that applies it. Only
 * {@link DeadLetters} makes these, so no record from the wire can pass for one.
 */
public final class ReplayedRecord extends ConsumerRecord<String, byte[]> {

    /** What the replay did. */
    public enum Outcome {
        /** The event was applied now. */
        APPLIED,
        /** The consumer had applied the event before: nothing changed. */
        ALREADY_APPLIED,
        /** The event's type is unknown to the consumer: skipped, as on its first delivery. */
        SKIPPED
    }

    private final long deadLetterId;
    private final String replayedBy;
    private volatile Outcome outcome;

    ReplayedRecord(DeadLetters.Stored letter, String replayedBy) {
        super(letter.topic(), letter.partition(), letter.offset(), ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, letter.key(), letter.payload(),
                new RecordHeaders(letter.headers()), java.util.Optional.empty());
        this.deadLetterId = letter.id();
        this.replayedBy = replayedBy;
    }

    long deadLetterId() {
        return deadLetterId;
    }

    String replayedBy() {
        return replayedBy;
    }

    Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome value) {
        outcome = value;
    }
}
