package dev.promoter.contracts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes pipeline events as CDEvents v0.5.1 JSON and reads them back; the JSON is the whole Kafka record value,
 * and {@link #cloudEventAttributes} gives the CloudEvents attributes that go beside it.
 */
public final class CdEventCodec {

    public static final String SPEC_VERSION = "0.5.1";
    public static final String CUSTOM_DATA_CONTENT_TYPE = "application/json";

    // Strict reading: a record with duplicate keys or trailing bytes means different things to different
    // parsers, so it is refused rather than guessed at.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int MAX_REASON = 200;

    private static final Map<String, EventMapping<?>> BY_TYPE = EventMapping.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventMapping::type, Function.identity()));
    private static final Map<Class<?>, EventMapping<?>> BY_CLASS = EventMapping.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventMapping::eventClass, Function.identity()));

    private CdEventCodec() {
    }

    /** The CDEvent JSON (UTF-8) of an event in its envelope. */
    public static byte[] encode(PipelineEvent event, EventContext context) {
        Require.present(event, "event");
        Require.present(context, "context");
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode ctx = root.putObject("context");
        ctx.put("specversion", SPEC_VERSION);
        ctx.put("id", context.id());
        ctx.put("source", context.source().toString());
        ctx.put("type", event.type());
        ctx.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(context.timestamp()));
        ctx.put("chainId", context.chainId());
        ObjectNode subject = root.putObject("subject");
        subject.put("id", event.subjectId());
        write(mappingOf(event), event, subject.putObject("content"), root.putObject("customData"));
        root.put("customDataContentType", CUSTOM_DATA_CONTENT_TYPE);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            // A tree of strings and numbers always serialises; this would be a Jackson bug.
            throw new IllegalStateException("cannot serialise " + event.type(), e);
        }
    }

    /**
     * Reads a CDEvent written by {@link #encode}.
     *
     * @throws UnknownEventTypeException when {@code context.type} is not one of ours: skip the record
     * @throws UnreadableEventException  when the record is not a readable event of a known type: dead-letter it
     */
    public static DecodedEvent decode(byte[] json) {
        if (json == null) {
            throw new UnreadableEventException("the record has no value");
        }
        Fields root = Fields.root(parse(json));
        Fields context = root.object("context");
        String type = context.text("type");
        EventMapping<?> mapping = BY_TYPE.get(type);
        if (mapping == null) {
            throw new UnknownEventTypeException(type);
        }
        // Required by CDEvents but not compared: a later spec release that keeps our event versions is readable.
        context.text("specversion");
        EventContext eventContext = readContext(context);
        // The record is read from customData alone; subject.content is its CDEvents view for other tools.
        root.object("subject").object("content");
        Fields customData = root.object("customData").asRecord();
        try {
            return new DecodedEvent(eventContext, mapping.reader().apply(customData));
        } catch (IllegalArgumentException e) {
            throw unreadable("customData is not a valid " + mapping.eventClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether this contract version knows a CDEvents type; consumers check the {@code ce_type} header with it. */
    public static boolean isKnownType(String type) {
        return type != null && BY_TYPE.containsKey(type);
    }

    /** The CloudEvents attributes of an event, per the CDEvents CloudEvents binding. */
    public static CloudEventAttributes cloudEventAttributes(PipelineEvent event, EventContext context) {
        return new CloudEventAttributes(context.id(), context.source(), event.type(), event.subjectId(),
                context.timestamp(), CUSTOM_DATA_CONTENT_TYPE, event.application());
    }

    private static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw unreadable("the record is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw unreadable("the record cannot be read: " + e.getMessage(), e);
        }
    }

    private static EventContext readContext(Fields context) {
        String source = context.text("source");
        String timestamp = context.text("timestamp");
        try {
            return new EventContext(context.text("id"), new URI(source),
                    OffsetDateTime.parse(timestamp).toInstant(), context.text("chainId"));
        } catch (URISyntaxException e) {
            throw unreadable("context.source must be a URI reference, got " + Require.quote(source), e);
        } catch (DateTimeParseException e) {
            throw unreadable("context.timestamp must be an RFC 3339 date-time, got " + Require.quote(timestamp), e);
        } catch (IllegalArgumentException e) {
            throw unreadable("context is not valid: " + e.getMessage(), e);
        }
    }

    private static EventMapping<?> mappingOf(PipelineEvent event) {
        // Every permitted record has a mapping; a test walks them all.
        return BY_CLASS.get(event.getClass());
    }

    private static <E extends PipelineEvent> void write(EventMapping<E> mapping, PipelineEvent event,
                                                        ObjectNode content, ObjectNode customData) {
        E typed = mapping.eventClass().cast(event);
        mapping.content().accept(typed, content);
        mapping.customData().accept(typed, customData);
    }

    private static UnreadableEventException unreadable(String reason, Throwable cause) {
        String shortReason = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
        return new UnreadableEventException(shortReason, cause);
    }
}
