package dev.promoter.build.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to a delivery that was not refused.
 *
 * @param status       {@code accepted}, {@code duplicate}, {@code ignored} or {@code pong}
 * @param detail       what happened, in words
 * @param applications the applications it concerned
 * @param eventId      the {@code artifact.published} event it led to, when it led to one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookReceipt(String status, String detail, List<String> applications, String eventId) {

    static WebhookReceipt accepted(String detail, List<String> applications, String eventId) {
        return new WebhookReceipt("accepted", detail, applications, eventId);
    }

    static WebhookReceipt duplicate(String deliveryId) {
        return new WebhookReceipt("duplicate", "delivery " + deliveryId + " was accepted before; nothing changed",
                null, null);
    }

    static WebhookReceipt ignored(String detail) {
        return new WebhookReceipt("ignored", detail, null, null);
    }
}
