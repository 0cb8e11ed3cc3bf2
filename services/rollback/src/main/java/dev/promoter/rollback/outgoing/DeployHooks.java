package dev.promoter.rollback.outgoing;

import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.kit.outbound.OutboundUrls;
import dev.promoter.messaging.outgoing.Attempt;
import dev.promoter.messaging.outgoing.CallPolicy;
import dev.promoter.messaging.outgoing.CallSender;
import dev.promoter.messaging.outgoing.OutgoingCall;
import dev.promoter.rollback.config.RollbackConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends a stage's deploy hook: the move's CDEvent as a structured-mode CloudEvent, signed when the stage names a
 * secret (never sent unsigned then), to a URL the outbound rules allow at every attempt. A 2xx delivers it; anything
 * else is tried again up to {@code rollback.outgoing.max-attempts}. A hook not delivered yet when the stage moves again
 * is superseded: the runtime only needs the newest digest.
 */
@ApplicationScoped
public class DeployHooks implements CallSender {

    public static final String KIND = "deploy-hook";

    private final RollbackConfig.Outgoing config;
    private final Map<String, String> secrets;
    private final HttpClient http;
    private final OutboundUrls outbound;

    DeployHooks(RollbackConfig config, OutboundConfig outbound) {
        this.config = config.outgoing();
        this.secrets = config.deployHookSecrets();
        this.outbound = outbound.urls();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(this.config.timeout()).build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CallPolicy policy() {
        return new CallPolicy(config.maxAttempts(), config.retryBackoff(), config.maxRetryBackoff(), true);
    }

    @Override
    public Uni<Attempt> send(OutgoingCall call) {
        byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.target())).timeout(config.timeout())
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .header("X-Promoter-Delivery", String.valueOf(call.id()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (call.secretName() != null) {
            String secret = secrets.get(call.secretName());
            if (secret == null || secret.isBlank()) {
                // Never sent unsigned when a signature was asked for.
                return Uni.createFrom().item(Attempt.unavailable("not sent: the secret '" + call.secretName()
                        + "' is not configured (ROLLBACK_DEPLOY_HOOK_SECRETS_" + call.secretName().toUpperCase()
                        .replace('-', '_') + ")"));
            }
            request.header(HookSignature.HEADER, HookSignature.of(secret, body));
        }
        // Checked at every attempt: a listed name may come to resolve to a metadata address.
        URI target = URI.create(call.target());
        return Uni.createFrom().completionStage(() -> outbound.refusalAsync(target, Infrastructure.getDefaultWorkerPool()))
                .chain(refusal -> refusal.isPresent()
                        ? Uni.createFrom().item(Attempt.unavailable("not sent: "
                                + new OutboundUrls.RefusedUrlException(refusal.get()).getMessage()))
                        : Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                                        HttpResponse.BodyHandlers.discarding()))
                                .map(response -> response.statusCode() / 100 == 2
                                        ? Attempt.delivered("HTTP " + response.statusCode())
                                        : Attempt.unavailable("HTTP " + response.statusCode())));
    }
}
