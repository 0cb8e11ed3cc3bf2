package dev.promoter.build.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.build.webhook.Intake;
import dev.promoter.build.webhook.Payloads;
import dev.promoter.kit.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * One CloudEvent as received over HTTP, in either content mode.
 *
 * @param id   the CloudEvents id: with the source's door, the key a redelivery is recognised by
 * @param type the CloudEvents type, the CDEvents {@code context.type}
 * @param data the CDEvent (context and subject)
 */
record CloudEventIn(String id, String type, JsonNode data) {

    private static final int MAX_ID = 200;

    /** Binary mode: attributes in {@code ce-*} headers, the CDEvent as the body. */
    static CloudEventIn binary(HttpHeaders headers, byte[] body) {
        List<String> missing = new ArrayList<>();
        String specVersion = attribute(headers.getHeaderString("ce-specversion"), "ce-specversion", missing);
        String id = attribute(headers.getHeaderString("ce-id"), "ce-id", missing);
        attribute(headers.getHeaderString("ce-source"), "ce-source", missing);
        String type = attribute(headers.getHeaderString("ce-type"), "ce-type", missing);
        check(specVersion, id, missing, "binary mode needs the headers ce-specversion: 1.0, ce-id, ce-source, ce-type");
        return new CloudEventIn(id, type, Payloads.object(body, "CDEvent"));
    }

    /** Structured mode: the CloudEvent as a JSON object, the CDEvent in {@code data}. */
    static CloudEventIn structured(JsonNode event) {
        List<String> missing = new ArrayList<>();
        String specVersion = attribute(Payloads.text(event, "/specversion"), "specversion", missing);
        String id = attribute(Payloads.text(event, "/id"), "id", missing);
        attribute(Payloads.text(event, "/source"), "source", missing);
        String type = attribute(Payloads.text(event, "/type"), "type", missing);
        check(specVersion, id, missing, "structured mode needs specversion 1.0, id, source and type");
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            throw ProblemException.badRequest("the CloudEvent's data must be the CDEvent as a JSON object"
                    + " (data_base64 is not accepted)", List.of());
        }
        return new CloudEventIn(id, type, data);
    }

    private static String attribute(String value, String name, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name + ": is required");
        }
        return value;
    }

    private static void check(String specVersion, String id, List<String> missing, String fix) {
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("the CloudEvent is incomplete; " + fix, missing);
        }
        if (!"1.0".equals(specVersion)) {
            throw ProblemException.badRequest("CloudEvents specversion must be 1.0, got " + Intake.quote(specVersion),
                    List.of());
        }
        if (id.length() > MAX_ID) {
            throw ProblemException.badRequest("the CloudEvent id may be at most " + MAX_ID + " characters", List.of());
        }
    }
}
