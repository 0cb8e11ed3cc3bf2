package dev.promoter.test.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.messaging.outgoing.Attempt;
import dev.promoter.messaging.outgoing.CallPolicy;
import dev.promoter.messaging.outgoing.CallSender;
import dev.promoter.messaging.outgoing.NewCall;
import dev.promoter.messaging.outgoing.OutgoingCall;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs the pending suite runs when they are due, as durable outgoing calls of kind {@code suite-run} (the messaging
 * library claims, retries and lists them): an {@code http-smoke} check is due as soon as it starts, an
 * {@code external} suite at its deadline (it then fails as timed out unless its result came first). The call only
 * says which attempt of which suite; the pending run in {@code pending_suite} is what is run, so a call whose run
 * finished or was cancelled meanwhile does nothing. A fault (the database down, say) only delays a run: it is tried
 * again with back-off, never dropped. A call is held for five minutes, longer than an http-smoke check with its tries
 * and back-off takes; a replica that died holding one has it taken over then.
 */
@ApplicationScoped
class DueSuites implements CallSender {

    static final String KIND = "suite-run";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CallPolicy POLICY = new CallPolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(1), false,
            Duration.ofMinutes(5));

    private final SuiteRunService suiteRuns;

    DueSuites(SuiteRunService suiteRuns) {
        this.suiteRuns = suiteRuns;
    }

    /** The call that runs (or times out) this attempt of the suite when it is due. */
    static NewCall call(PendingSuite pending) {
        ObjectNode body = JSON.createObjectNode().put("application", pending.application).put("stage", pending.stage)
                .put("digest", pending.digest).put("suite", pending.suite).put("attempt", pending.attempt);
        return new NewCall(KIND, pending.application + "/" + pending.stage + "/" + pending.suite + "/" + pending.digest
                + "#" + pending.attempt, pending.application, pending.stage, pending.digest,
                pending.kind + ":" + pending.suite, null, body.toString());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CallPolicy policy() {
        return POLICY;
    }

    @Override
    public Uni<Attempt> send(OutgoingCall call) {
        JsonNode body;
        try {
            body = JSON.readTree(call.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return suiteRuns.runDue(body.path("application").asText(), body.path("stage").asText(),
                        body.path("digest").asText(), body.path("suite").asText(), body.path("attempt").asInt())
                .map(Attempt::delivered);
    }
}
