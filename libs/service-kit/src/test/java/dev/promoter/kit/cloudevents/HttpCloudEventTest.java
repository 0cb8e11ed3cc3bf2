package dev.promoter.kit.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.promoter.kit.problem.Problem;
import dev.promoter.kit.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HttpCloudEventTest {

    private static final String CDEVENT = "{\"context\":{\"id\":\"c1\"},\"subject\":{\"id\":\"s1\"}}";
    private static final String TYPE = "dev.cdevents.artifact.published.0.3.0";

    @Test
    void readsBinaryModeFromCeHeadersAndTheBody() {
        HttpCloudEvent event = HttpCloudEvent.read(headers("Content-Type", "application/json; charset=UTF-8",
                "CE-SpecVersion", "1.0", "ce-id", "e-1", "ce-source", "/jenkins", "ce-type", TYPE), bytes(CDEVENT));

        assertThat(event.id()).isEqualTo("e-1");
        assertThat(event.source()).isEqualTo("/jenkins");
        assertThat(event.type()).isEqualTo(TYPE);
        assertThat(event.data().at("/subject/id").textValue()).isEqualTo("s1");
    }

    @Test
    void binaryModeHeadersArePercentDecodedAsTheHttpBindingSays() {
        HttpCloudEvent event = HttpCloudEvent.read(headers("Content-Type", "application/json",
                "ce-specversion", "1.0", "ce-id", "build%2042%20%E2%82%AC", "ce-source", "/jenkins/a+b%25",
                "ce-type", TYPE), bytes(CDEVENT));

        assertThat(event.id()).isEqualTo("build 42 \u20ac");
        assertThat(event.source()).isEqualTo("/jenkins/a+b%");
    }

    @Test
    void aCeHeaderThatIsNotValidPercentEncodingIsListed() {
        Problem problem = refused(headers("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-id", "e-%zz", "ce-source", "/s%FF", "ce-type", TYPE), CDEVENT);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).containsExactly(
                "ce-id: is not valid percent-encoding; encode each byte of the UTF-8 value that is not printable"
                        + " ASCII, and '%' itself, as %XX",
                "ce-source: is not valid percent-encoding; encode each byte of the UTF-8 value that is not printable"
                        + " ASCII, and '%' itself, as %XX");
    }

    @Test
    void readsStructuredModeWithData() {
        HttpCloudEvent event = HttpCloudEvent.read(headers("content-type", "Application/CloudEvents+JSON; charset=UTF-8"),
                bytes(structured("\"data\":" + CDEVENT)));

        assertThat(event).extracting(HttpCloudEvent::id, HttpCloudEvent::source, HttpCloudEvent::type)
                .containsExactly("e-2", "/jenkins", TYPE);
        assertThat(event.data().at("/context/id").textValue()).isEqualTo("c1");
    }

    @Test
    void readsStructuredModeWithDataBase64() {
        String encoded = Base64.getEncoder().encodeToString(bytes(CDEVENT));

        HttpCloudEvent event = HttpCloudEvent.read(headers("Content-Type", "application/cloudevents+json"),
                bytes(structured("\"data_base64\":\"" + encoded + "\"")));

        assertThat(event.data().at("/subject/id").textValue()).isEqualTo("s1");
    }

    @Test
    void anyOtherContentTypeIs415NamingBothModes() {
        for (String contentType : new String[] {null, "text/plain", "application/xml", "application/cloudevents-batch+json"}) {
            Problem problem = refused(headers("Content-Type", contentType, "ce-specversion", "1.0", "ce-id", "x",
                    "ce-source", "/s", "ce-type", TYPE), CDEVENT);
            assertThat(problem.status()).as(contentType).isEqualTo(415);
            assertThat(problem.detail()).contains("binary mode (Content-Type: application/json")
                    .contains("structured mode (Content-Type: application/cloudevents+json");
        }
        assertThat(refused(headers("Content-Type", "application/cloudevents-batch+json"), "[]").detail())
                .contains("batches are not accepted");
    }

    @Test
    void binaryModeListsEveryMissingHeaderAtOnce() {
        Problem problem = refused(headers("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-source", "/s", "ce-type", " "), CDEVENT);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).containsExactly("ce-id: is required", "ce-type: is required");
        assertThat(problem.detail()).contains("ce-specversion: 1.0, ce-id");
        assertThat(refused(headers("Content-Type", "application/json"), CDEVENT).errors()).containsExactly(
                "ce-specversion: is required", "ce-id: is required", "ce-source: is required", "ce-type: is required");
    }

    @Test
    void specVersionMustBeExactly10() {
        assertThat(refused(headers("Content-Type", "application/json", "ce-specversion", "0.3", "ce-id", "x",
                "ce-source", "/s", "ce-type", TYPE), CDEVENT).errors())
                .containsExactly("ce-specversion: must be 1.0, got '0.3'");
        assertThat(refused(headers("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":\"1\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\",\"data\":{}}").errors())
                .containsExactly("specversion: must be 1.0, got '1'");
    }

    @Test
    void theIdIsLimitedTo200Characters() {
        String longId = "i".repeat(HttpCloudEvent.MAX_ID + 1);
        assertThat(refused(headers("Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", longId,
                "ce-source", "/s", "ce-type", TYPE), CDEVENT).errors())
                .containsExactly("ce-id: may be at most 200 characters, got 201");
        assertThat(HttpCloudEvent.read(headers("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-id", "i".repeat(HttpCloudEvent.MAX_ID), "ce-source", "/s", "ce-type", TYPE), bytes(CDEVENT)).id())
                .hasSize(HttpCloudEvent.MAX_ID);
    }

    @Test
    void structuredModeListsMissingAndNonStringAttributesAtOnce() {
        Problem problem = refused(headers("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":1.0,\"source\":\"\",\"type\":\"t\",\"data\":{}}");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).containsExactly("specversion: must be a string", "id: is required",
                "source: is required");
        assertThat(problem.detail()).contains("structured mode needs specversion \"1.0\", id");
    }

    @Test
    void theDataMustBeAJsonObject() {
        Function<String, String> binary = headers("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-id", "x", "ce-source", "/s", "ce-type", TYPE);
        assertThat(refused(binary, "[1]").detail()).isEqualTo("the event data in the body must be a JSON object, got array");
        assertThat(refused(binary, "{\"a\":").detail()).startsWith("the event data in the body is not valid JSON at line 1");
        assertThat(refused(binary, "{\"a\":1,\"a\":2}").detail()).contains("is not valid JSON");
        assertThat(refused(binary, "").detail()).startsWith("the request has no body");

        Function<String, String> structured = headers("Content-Type", "application/cloudevents+json");
        assertThat(refused(structured, structured("\"data\":\"text\"")).detail())
                .isEqualTo("the CloudEvent's data must be the event data as a JSON object, got string");
        assertThat(refused(structured, structured("")).detail()).startsWith("the CloudEvent has no data");
        assertThat(refused(structured, structured("\"data\":{},\"data_base64\":\"e30=\"")).detail())
                .contains("both data and data_base64");
        assertThat(refused(structured, structured("\"data_base64\":\"not base64!\"")).detail())
                .startsWith("data_base64 is not base64");
        assertThat(refused(structured, structured("\"data_base64\":\""
                + Base64.getEncoder().encodeToString(bytes("[]")) + "\"")).detail())
                .isEqualTo("the event data in data_base64 must be a JSON object, got array");
        assertThat(refused(structured, "not json").detail()).startsWith("the structured CloudEvent is not valid JSON");
        assertThat(refused(structured, "").detail()).startsWith("the request has no body");
    }

    private static Problem refused(Function<String, String> headers, String body) {
        ProblemException e = catchThrowableOfType(() -> HttpCloudEvent.read(headers, bytes(body)), ProblemException.class);
        assertThat(e).as("refused").isNotNull();
        return e.toProblem();
    }

    private static String structured(String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/jenkins\",\"type\":\"" + TYPE + "\""
                + (data.isEmpty() ? "" : "," + data) + "}";
    }

    /** Headers as a case-insensitive lookup, as HTTP has them; a null value leaves the header out. */
    private static Function<String, String> headers(String... namesAndValues) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                map.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return map::get;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
