package dev.promoter.build.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A vendor payload from {@code src/test/resources/payloads}, shaped as the vendor documents it, with ${...} filled in. */
final class Payload {

    private Payload() {
    }

    static byte[] of(String resource, Map<String, String> values) {
        try (InputStream in = Payload.class.getClassLoader().getResourceAsStream("payloads/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("payloads/" + resource + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            if (text.contains("${")) {
                throw new IllegalStateException("payloads/" + resource + " has an unfilled placeholder");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
