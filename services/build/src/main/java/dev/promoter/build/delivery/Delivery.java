package dev.promoter.build.delivery;

/**
 * One delivery from outside: which door it came through, its id there, and what it was.
 *
 * @param source      the door: {@code github}, {@code gitlab}, {@code cdevents}
 * @param id          the sender's delivery id ({@code X-GitHub-Delivery}, {@code Idempotency-Key}, CloudEvents id)
 * @param event       the sender's event name, e.g. {@code push}, {@code Pipeline Hook}
 * @param application the application it concerns, or null when it concerns several
 * @param outcome     what it led to: {@code artifact}, {@code build-requested}, {@code build-failed}
 */
public record Delivery(String source, String id, String event, String application, String outcome) {
}
