package dev.promoter.messaging.outgoing;

/**
 * A call to queue. {@code key} orders the calls of one kind (they go out one after the other) and, for kinds whose
 * policy supersedes, names what a newer call replaces. {@code application}, {@code stage} and {@code digest} say what
 * it is about (null where they do not apply); {@code target} is the URL or channel; {@code secretName} names the
 * secret a sender signs with (never the secret itself).
 */
public record NewCall(String kind, String key, String application, String stage, String digest, String target,
                      String secretName, String body) {
}
