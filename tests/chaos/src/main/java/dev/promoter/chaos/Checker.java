package dev.promoter.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.Topics;
import dev.promoter.demo.PipelineApi;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Checks the pipeline's invariants from outside, as an operator could: the registry's tags read with a client of its
 * own (not through the services' proxy), promote's and the rollback service's APIs, and the topics.
 */
final class Checker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What one look found. {@code lost}: accepted artifacts missing from a stage they must have entered;
     * {@code superseded}: those a newer artifact of the same application replaced in the stage they had reached (see
     * {@link #superseded}), not counted as lost;
     * {@code duplicated}: a digest entering a stage more than once (in promote's history, or as more than one
     * promotion event); {@code wrong}: a digest in a stage its suites forbid; {@code inconsistent}: a stage whose
     * registry tag, promote's current digest and the rollback service's current digest differ;
     * {@code deadLetterRecords}: records on every {@code *.dlt.*} topic; {@code deadLetters}: each service's
     * {@code GET /api/v1/dead-letters} count (absent where the service has no such API); {@code moves}: every move of
     * every stage (promote's {@code movedAt}).
     */
    record Look(List<Artifact> lost, List<Artifact> superseded, List<String> duplicated, List<String> wrong,
                List<String> inconsistent, long deadLetterRecords, Map<String, Integer> deadLetters,
                List<String> deadLetterReasons, List<Instant> moves) {

        int deadLettersListed() {
            return deadLetters.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final PipelineApi api;
    private final RegistryClient registry;
    private final String bootstrapServers;
    private final Map<String, URI> services;
    private final Map<String, String> tokens;

    /** {@code services}: each service's base URI by name, for its dead-letter API, read with its token in {@code tokens}. */
    Checker(PipelineApi api, RegistryClient registry, String bootstrapServers, Map<String, URI> services,
            Map<String, String> tokens) {
        this.api = api;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.services = new TreeMap<>(services);
        this.tokens = Map.copyOf(tokens);
    }

    /** True when promote's view shows the artifact where it should end (for an unhealthy one: rolled back too). */
    static boolean settled(Artifact artifact, JsonNode view) {
        List<String> stages = artifact.kind().stages();
        String last = stages.get(stages.size() - 1);
        if (forwardMoves(view, last, artifact.digest()) == 0) {
            return false;
        }
        if (artifact.kind() != Artifact.Kind.UNHEALTHY) {
            return true;
        }
        // Rolled back, or replaced by a later artifact before its health was judged; or held, when no other digest had
        // run in the stage before it: the rollback service has nothing to roll back to and says so.
        return !artifact.digest().equals(PipelineApi.stage(view, last).path("current").asText())
                || firstIn(view, last, artifact.digest());
    }

    /** True when no other digest entered the stage before this one did. */
    static boolean firstIn(JsonNode view, String stage, String digest) {
        Instant entered = null;
        List<Instant> others = new ArrayList<>();
        for (JsonNode entry : PipelineApi.stage(view, stage).path("history")) {
            Instant movedAt = instant(entry.path("movedAt"));
            if (digest.equals(entry.path("digest").asText())) {
                entered = entered == null || movedAt.isBefore(entered) ? movedAt : entered;
            } else {
                others.add(movedAt);
            }
        }
        Instant first = entered;
        return first != null && others.stream().noneMatch(other -> other.isBefore(first));
    }

    /**
     * True when the artifact stopped short of its stages because a newer one took its place: it entered the stage
     * before the first one it is missing, and a newer accepted artifact of the same application entered that stage
     * too. A stage runs one digest; when a newer one enters, whatever the older one still waited for there is cancelled,
     * and a suite result for a digest the stage no longer runs decides nothing (docs/suites.md, "Cancellation"). That
     * is the pipeline's rule, not a loss: the newest artifact carries on. The newest artifact of an application is
     * never superseded, so a pipeline that stopped carrying anything still shows a loss per application.
     */
    static boolean superseded(Artifact artifact, JsonNode view, List<Artifact> accepted) {
        List<String> stages = artifact.kind().stages();
        for (int i = 1; i < stages.size(); i++) {
            if (forwardMoves(view, stages.get(i), artifact.digest()) > 0) {
                continue;
            }
            String reached = stages.get(i - 1);
            if (forwardMoves(view, reached, artifact.digest()) == 0) {
                return false;
            }
            return accepted.stream().anyMatch(newer -> newer.application().equals(artifact.application())
                    && newer.acceptedAt().isAfter(artifact.acceptedAt()) && !newer.digest().equals(artifact.digest())
                    && forwardMoves(view, reached, newer.digest()) > 0);
        }
        return false;
    }

    /** How many times the digest entered the stage by promotion (rollbacks, which name {@code rollbackOf}, aside). */
    static int forwardMoves(JsonNode view, String stage, String digest) {
        int moves = 0;
        for (JsonNode entry : PipelineApi.stage(view, stage).path("history")) {
            if (digest.equals(entry.path("digest").asText()) && !entry.path("rollbackOf").isTextual()) {
                moves++;
            }
        }
        return moves;
    }

    /**
     * Promote's view of the application with each stage's whole history in place of its first page (the view shows
     * one page; the check counts every move).
     */
    private JsonNode withWholeHistories(String application, JsonNode view) {
        if (view != null) {
            for (JsonNode stage : view.path("stages")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) stage).set("history",
                        api.promotedHistory(application, stage.path("name").asText()));
            }
        }
        return view;
    }

    /** One look at everything; throws when a service or the registry cannot be read at all. */
    Look look(List<String> applications, List<Artifact> artifacts) {
        return look(applications, artifacts, true);
    }

    /**
     * The part of {@link #look} that says whether the pipeline has settled (where each artifact is, and whether the
     * stages' registry tags, promote and rollback agree): the views, the registry and the rollback service's
     * histories, without reading the promotions topic to its end or counting dead letters (which settling does not
     * wait for). Its {@code duplicated} holds only double entries in promote's history; its dead-letter counts are 0.
     */
    Look settling(List<String> applications, List<Artifact> artifacts) {
        return look(applications, artifacts, false);
    }

    private Look look(List<String> applications, List<Artifact> artifacts, boolean full) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        for (String application : applications) {
            views.put(application, withWholeHistories(application, api.application(application)));
        }
        List<Artifact> lost = new ArrayList<>();
        List<Artifact> superseded = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            JsonNode view = views.get(artifact.application());
            boolean missing = false;
            for (String stage : artifact.kind().stages()) {
                int moves = forwardMoves(view, stage, artifact.digest());
                missing |= moves == 0;
                if (moves > 1) {
                    duplicated.add(artifact + " entered " + stage + " " + moves + " times (promote's history)");
                }
            }
            if (missing && superseded(artifact, view, artifacts)) {
                superseded.add(artifact);
            } else if (missing || artifact.kind() == Artifact.Kind.UNHEALTHY && !settled(artifact, view)) {
                lost.add(artifact);
            }
            for (String stage : artifact.forbidden()) {
                if (forwardMoves(view, stage, artifact.digest()) > 0) {
                    wrong.add(artifact + " entered " + stage + " though its suite fails");
                }
            }
        }
        if (full) {
            duplicated.addAll(promotedTwice());
        }
        List<String> inconsistent = new ArrayList<>();
        List<Instant> moves = new ArrayList<>();
        for (String application : applications) {
            JsonNode view = views.get(application);
            for (String stage : Artifact.STAGES) {
                JsonNode promoted = PipelineApi.stage(view, stage);
                promoted.path("history").forEach(entry -> moves.add(instant(entry.path("movedAt"))));
                String tag = registry.head(Load.repository(application), stage).map(ManifestRef::digest).orElse(null);
                String current = promoted.path("current").isTextual() ? promoted.path("current").asText() : null;
                JsonNode watched = api.rollbackHistory(application, stage);
                String rollbackCurrent = watched == null || !watched.path("current").isTextual() ? null
                        : watched.path("current").asText();
                if (!java.util.Objects.equals(tag, current) || !java.util.Objects.equals(tag, rollbackCurrent)) {
                    inconsistent.add(application + " " + stage + ": registry " + brief(tag) + ", promote "
                            + brief(current) + ", rollback " + brief(rollbackCurrent));
                }
            }
        }
        if (!full) {
            return new Look(lost, superseded, duplicated, wrong, inconsistent, 0, Map.of(), List.of(), moves);
        }
        List<String> reasons = new ArrayList<>();
        Map<String, Integer> listed = deadLetters(reasons);
        return new Look(lost, superseded, duplicated, wrong, inconsistent, deadLetterRecords(), listed, reasons, moves);
    }

    /**
     * Promotions of one digest into one stage announced by more than one event (distinct event ids): a digest promoted
     * twice. The same event delivered twice (one id) is Kafka's at-least-once and not counted.
     */
    private List<String> promotedTwice() {
        Map<String, Set<String>> ids = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(Topics.PROMOTIONS.name())) {
            DecodedEvent decoded;
            try {
                decoded = CdEventCodec.decode(record.value());
            } catch (RuntimeException unreadable) {
                continue;
            }
            String key = null;
            if (decoded.event() instanceof ServiceDeployed d) {
                key = d.application() + " " + d.stage() + " " + d.digest().value();
            } else if (decoded.event() instanceof ServiceUpgraded u) {
                key = u.application() + " " + u.stage() + " " + u.digest().value();
            }
            if (key != null) {
                ids.computeIfAbsent(key, k -> new HashSet<>()).add(decoded.context().id());
            }
        }
        List<String> twice = new ArrayList<>();
        ids.forEach((key, events) -> {
            if (events.size() > 1) {
                twice.add(key + ": " + events.size() + " promotion events");
            }
        });
        return twice;
    }

    /** Records on every dead-letter topic ({@code <topic>.dlt.<service>}): end minus start offsets. */
    long deadLetterRecords() {
        try (Admin admin = admin()) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description : admin.describeTopics(names.stream().filter(n -> n.contains(".dlt.")).toList())
                    .allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                description.partitions().forEach(p -> {
                    TopicPartition partition = new TopicPartition(description.name(), p.partition());
                    earliest.put(partition, OffsetSpec.earliest());
                    latest.put(partition, OffsetSpec.latest());
                });
            }
            if (latest.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
                    admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return end.entrySet().stream().mapToLong(e -> e.getValue().offset() - start.get(e.getKey()).offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not count the dead-letter topics: " + e, e);
        }
    }

    /** Each service's unreplayed dead letters as its API lists them; a service without the API (404) is left out. */
    private Map<String, Integer> deadLetters(List<String> reasons) {
        Map<String, Integer> counts = new TreeMap<>();
        services.forEach((name, base) -> {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                base.resolve("/api/v1/dead-letters?limit=500")).timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/json").header("Authorization", "Bearer " + tokens.get(name))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 404) {
                    return;
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(name + " answered its dead-letter list " + response.statusCode()
                            + ": " + response.body());
                }
                int count = 0;
                for (JsonNode letter : JSON.readTree(response.body()).path("deadLetters")) {
                    if (letter.path("replayedAt").isNull() || letter.path("replayedAt").isMissingNode()) {
                        count++;
                        reasons.add(name + ": " + letter.path("topic").asText() + " " + letter.path("eventType").asText()
                                + ": " + letter.path("reason").asText());
                    }
                }
                counts.put(name, count);
            } catch (IOException e) {
                throw new IllegalStateException(name + " did not answer its dead-letter list: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
        return counts;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            return Instant.ofEpochSecond(0, (long) (node.asDouble() * 1e9));
        }
        return Instant.parse(node.asText());
    }

    private static String brief(String digest) {
        return digest == null ? "none" : Optional.of(digest).filter(d -> d.length() > 19).map(d -> d.substring(7, 19))
                .orElse(digest);
    }
}
