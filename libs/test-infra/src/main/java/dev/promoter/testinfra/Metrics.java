package dev.promoter.testinfra;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the service under test's {@code /q/metrics} (Prometheus text format) as a user of Prometheus would. */
public final class Metrics {

    private Metrics() {
    }

    /** The service's metrics now. */
    public static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the first sample {@code name{...}} carrying every label given ({@code a="x",b="y"}, or empty for
     * any); null when there is none.
     */
    public static Double sample(String metrics, String name, String labels) {
        // A sample may end in an exemplar (" # {span_id=...,trace_id=...} value") when a span was current.
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)( # .*)?$",
                Pattern.MULTILINE);
        Matcher matcher = line.matcher(metrics);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (String label : labels.isEmpty() ? new String[0] : labels.split(",(?=[a-z_]+=)")) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return null;
    }

    /** {@link #sample} of a fresh scrape; 0 when the meter has no such sample yet (a counter not yet counted). */
    public static double sample(String name, String labels) {
        Double value = sample(scrape(), name, labels);
        return value == null ? 0 : value;
    }
}
