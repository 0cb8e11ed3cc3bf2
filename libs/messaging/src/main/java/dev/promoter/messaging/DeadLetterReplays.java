package dev.promoter.messaging;

import dev.promoter.kit.health.Failures;
import dev.promoter.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.OffsetDateTime;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Replays a dead letter: hands the stored record to the {@code @Incoming} method of its topic, which applies it once
 * through the inbox (a replay of something applied changes nothing) and records who replayed it and when in the same
 * transaction. A record that still cannot be applied stays a dead letter and the caller hears why.
 */
@ApplicationScoped
public class DeadLetterReplays {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplays.class);

    /** What a replay did, as the API answers it. */
    public record Replayed(long id, ReplayedRecord.Outcome outcome, String replayedBy, OffsetDateTime replayedAt) {
    }

    private final DeadLetters deadLetters;
    private final Instance<RecordConsumer> consumers;
    private final TopicNames topics;

    DeadLetterReplays(DeadLetters deadLetters, Instance<RecordConsumer> consumers, TopicNames topics) {
        this.deadLetters = deadLetters;
        this.consumers = consumers;
        this.topics = topics;
    }

    public Uni<Replayed> replay(long id, String caller) {
        return deadLetters.find(id).chain(found -> {
            DeadLetters.Stored letter = found.orElseThrow(() -> ProblemException.notFound("no dead letter " + id));
            if (letter.replayedAt() != null) {
                throw new ProblemException(409, "Already replayed", "dead letter " + id + " was replayed by "
                        + letter.replayedBy() + " at " + letter.replayedAt() + "; a record is replayed once");
            }
            Function<ConsumerRecord<String, byte[]>, Uni<Void>> route = routeOf(letter.topic());
            ReplayedRecord record = new ReplayedRecord(letter, caller);
            LOG.infof("%s replays dead letter %d (%s-%d@%d)", caller, id, letter.topic(), letter.partition(), letter.offset());
            return route.apply(record)
                    .onFailure(DeadLetters.AlreadyReplayedException.class).transform(e -> new ProblemException(409,
                            "Already replayed", e.getMessage()))
                    .onFailure(e -> !(e instanceof ProblemException) && !Failures.classify(e).isTransient())
                    .transform(e -> ProblemException.unprocessable("dead letter " + id + " still cannot be applied: "
                            + e.getMessage() + "; it stays a dead letter"))
                    // The unreplayed gauge drops at once rather than at its next refresh.
                    .call(deadLetters::refreshGauge)
                    .chain(() -> deadLetters.find(id))
                    .map(after -> new Replayed(id, record.outcome(), caller,
                            after.map(DeadLetters.Stored::replayedAt).orElse(null)));
        });
    }

    private Function<ConsumerRecord<String, byte[]>, Uni<Void>> routeOf(String topic) {
        for (RecordConsumer consumer : consumers) {
            for (var route : consumer.byTopic().entrySet()) {
                if (topics.of(route.getKey()).equals(topic)) {
                    return route.getValue();
                }
            }
        }
        throw ProblemException.unprocessable("this service no longer consumes " + topic + "; the dead letter cannot be replayed here");
    }
}
