package dev.promoter.contracts;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudEvents 1.0 attributes of one CDEvent, derived as the CDEvents CloudEvents binding says; the data is
 * the full CDEvent JSON.
 *
 * @param id              = {@code context.id}
 * @param source          = {@code context.source}
 * @param type            = {@code context.type}
 * @param subject         = {@code subject.id}
 * @param time            = {@code context.timestamp}
 * @param dataContentType always {@code application/json}
 * @param partitionKey    the application: the Kafka binding's {@code partitionkey} extension, which Kafka
 *                        CloudEvents writers (SmallRye among them) turn into the record key
 */
public record CloudEventAttributes(String id, URI source, String type, String subject, Instant time,
                                   String dataContentType, String partitionKey) {

    public static final String SPEC_VERSION = "1.0";

    public CloudEventAttributes {
        Require.text(id, "id");
        Require.present(source, "source");
        Require.text(type, "type");
        Require.text(subject, "subject");
        Require.present(time, "time");
        Require.text(dataContentType, "dataContentType");
        Require.text(partitionKey, "partitionKey");
    }

    /**
     * The Kafka headers of binary content mode: {@code ce_<attribute>} for each attribute except the
     * content type, which goes in {@code content-type}.
     */
    public Map<String, String> kafkaHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", SPEC_VERSION);
        headers.put("ce_id", id);
        headers.put("ce_source", source.toString());
        headers.put("ce_type", type);
        headers.put("ce_subject", subject);
        headers.put("ce_time", DateTimeFormatter.ISO_INSTANT.format(time));
        headers.put("ce_partitionkey", partitionKey);
        headers.put("content-type", dataContentType);
        return headers;
    }
}
