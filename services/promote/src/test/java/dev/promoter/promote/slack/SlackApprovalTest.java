package dev.promoter.promote.slack;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.SlackStandIn;
import io.quarkus.test.common.WithTestResource;
import dev.promoter.messaging.Contexts;
import dev.promoter.messaging.outgoing.OutgoingCallSweeper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack approval bot against a loopback Slack: messages posted and updated through the Web API with the bot
 * token, clicks arriving as Slack sends them (form field payload, block_actions JSON, v0 signature).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(SlackResource.class)
class SlackApprovalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "C0RELEASES";

    private PipelineFixture pipeline;
    private SlackStandIn slack;

    @Inject
    OutgoingCallSweeper sweeper;

    @Inject
    io.vertx.core.Vertx vertx;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        slack = SlackResource.slack;
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void approvingInSlackPromotesMovesTheTagAndUpdatesTheMessage() throws Exception {
        String app = "slack-ok";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message asked = awaitMessage(app, v1);
        assertThat(asked.text()).isEqualTo(app + " " + v1.shortForm() + " waits for approval to enter prod");
        String blocks = asked.blocks().toString();
        assertThat(blocks).contains("Approve").contains("Reject").contains("\"confirm\"")
                .contains("0123456789ab").contains("by ada").contains("http://ci.local/job/v1")
                .contains("waiting for 1 more approval from @release-managers");

        String reply = clickAndHear(asked, "U0BOB", "approve");

        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
        await().atMost(WAIT).until(() -> message(asked).text(), is(app + " " + v1.shortForm() + " was promoted into prod"));
        assertThat(message(asked).blocks().toString()).contains("approved by bob").doesNotContain("\"actions\"");
        assertThat(reply).startsWith("You approved " + v1.shortForm() + " for prod");
        var audit = given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app + "/decisions").then().extract().jsonPath();
        assertThat(audit.getList("identity")).containsExactly("slack:U0BOB");
        assertThat(audit.getList("via")).containsExactly("slack");
        assertThat(slack.calls("chat.postMessage")).filteredOn(c -> c.body().path("text").asText().startsWith(app + " "))
                .as("one message per request, updated since").hasSize(1);
    }

    @Test
    void rejectingInSlackBlocksTheDigestAndALaterClickIsRefused() throws Exception {
        String app = "slack-no";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message asked = awaitMessage(app, v1);

        String first = clickAndHear(asked, "U0CYD", "reject");
        await().atMost(WAIT).until(() -> message(asked).text(), is(app + " " + v1.shortForm() + " was rejected for prod"));
        assertThat(first).startsWith("You rejected");

        String second = clickAndHear(asked, "U0BOB", "approve");
        assertThat(second).startsWith("this request was already decided: rejected by cyd");
        assertThat(decisions(app)).isEqualTo(1);
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void theAuthorAnOutsiderAndASecondClickAreRefusedInAnEphemeralReplyAndNothingChanges() throws Exception {
        String app = "slack-refused";
        define(app, "approvals: { count: 2, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message asked = awaitMessage(app, v1);
        int updates = slack.calls("chat.update").size();

        String author = clickAndHear(asked, "U0ADA", "approve");
        assertThat(author).isEqualTo("you wrote the commit of " + v1.shortForm()
                + "; four eyes: someone else must approve it for prod");

        String outsider = clickAndHear(asked, "U0EVE", "approve");
        assertThat(outsider).isEqualTo("you are not among the approvers of prod (@release-managers)");
        assertThat(decisions(app)).isZero();
        assertThat(slack.calls("chat.update")).hasSize(updates);

        String once = clickAndHear(asked, "U0BOB", "approve");
        assertThat(once).startsWith("You approved");
        await().atMost(WAIT).until(() -> message(asked).blocks().toString().contains("approved by bob"));

        String twice = clickAndHear(asked, "U0BOB", "approve");
        assertThat(twice).isEqualTo("you already approved " + v1.shortForm() + " for prod; one person counts once");
        assertThat(decisions(app)).isEqualTo(1);
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void aStaleTimestampOrABadSignatureIsRefusedBeforeAnythingIsRead() throws Exception {
        String app = "slack-unsigned";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message asked = awaitMessage(app, v1);
        int replies = slack.calls("response_url").size();
        String responseUrl = slack.newResponseUrl().toString();
        String body = form(payload(asked, "U0BOB", "approve", responseUrl));

        String stale = String.valueOf(Instant.now().minusSeconds(301).getEpochSecond());
        post(body, stale, "v0=" + SlackSignature.sign(SlackResource.SIGNING_SECRET, stale, bytes(body)))
                .statusCode(401).body("detail", is("not a signed Slack request: X-Slack-Request-Timestamp is more than 5 minutes from now"));
        String now = String.valueOf(Instant.now().getEpochSecond());
        post(body, now, "v0=" + SlackSignature.sign("not-the-secret", now, bytes(body)))
                .statusCode(401).body("detail", is("not a signed Slack request: X-Slack-Signature does not match"));
        post(body, now, null).statusCode(401);

        // Refused before the payload was read: no reply, no decision, no move. A signed click still works after.
        assertThat(slack.calls("response_url")).hasSize(replies);
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
        click(asked, "U0BOB", "approve", responseUrl).statusCode(200);
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
    }

    @Test
    void aLapsedRequestRefusesClicks() throws Exception {
        String app = "slack-lapsed";
        define(app, "approvals: { count: 1, from: ['@release-managers'], expiry: 2s }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message asked = awaitMessage(app, v1);
        await().atMost(WAIT).until(() -> message(asked).text(),
                is(app + " " + v1.shortForm() + ": the approval request for prod lapsed"));

        String reply = clickAndHear(asked, "U0BOB", "approve");
        assertThat(reply).startsWith("this request lapsed");
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void aNewerDigestSupersedesTheOlderRequestAndItsMessageSaysSo() throws Exception {
        String app = "slack-newer";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        SlackStandIn.Message older = awaitMessage(app, v1);
        Digest v2 = publish(app, "v2");
        awaitMessage(app, v2);
        await().atMost(WAIT).until(() -> message(older).text(),
                is(app + " " + v1.shortForm() + ": the request for prod was superseded by " + v2.shortForm()));

        String reply = clickAndHear(older, "U0BOB", "approve");
        assertThat(reply).isEqualTo("this request was superseded by " + v2.shortForm() + "; decide on the newer one");
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void aMessageSlackRefusedIsSentAgainLaterAndPostedOnce() {
        String app = "slack-retry";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        // Messages of earlier tests settle first, so the refusal meets this test's post.
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger(-1);
        await().atMost(WAIT).until(() -> {
            int now = slack.calls().size();
            return seen.getAndSet(now) == now;
        });
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> slack.calls().size() == seen.get());
        slack.failNextCallWith("ratelimited");
        Digest v1 = publish(app, "v1");

        SlackStandIn.Message asked = awaitMessage(app, v1);
        assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().startsWith(app + " ")).containsExactly(asked);
        assertThat(slack.calls("chat.postMessage")).filteredOn(c -> c.body().path("text").asText().startsWith(app + " "))
                .as("the refused post and the accepted one").hasSize(2);
    }

    @Test
    void aSlackOutageDelaysTheMessageWhichIsPostedOnceAndListedWithBothAttempts() {
        String app = "slack-outage";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        quiet();
        slack.failNextCallWithStatus(503);
        Digest v1 = publish(app, "v1");

        SlackStandIn.Message asked = awaitMessage(app, v1);
        assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().startsWith(app + " ")).containsExactly(asked);
        assertThat(slack.calls("chat.postMessage")).filteredOn(c -> c.body().path("text").asText().startsWith(app + " "))
                .as("the post Slack answered 503 and the one it took").hasSize(2);
        // Listed: the attempt Slack answered 503 and the one it took (by the same call, or by a newer call of the
        // request that superseded it meanwhile); nothing left pending or failed.
        await().atMost(WAIT).until(() -> approvalCalls(app, "PENDING").isEmpty() && !approvalCalls(app, "SUCCEEDED").isEmpty());
        assertThat(approvalCalls(app, "FAILED")).isEmpty();
        List<Map<String, Object>> calls = approvalCalls(app, null);
        assertThat(calls).allSatisfy(call -> {
            assertThat((String) call.get("key")).startsWith("request/");
            assertThat(call.get("target")).isEqualTo(CHANNEL);
        });
        assertThat(calls.stream().flatMap(call -> ((List<?>) call.get("attemptLog")).stream()).map(String::valueOf))
                .anyMatch(line -> line.contains("http_503")).anyMatch(line -> line.contains("posted to"));
    }

    @Test
    void aMessageSlackRefusesForGoodIsListedAsFailedAndPostedOnceAnOperatorRetriesIt() {
        String app = "slack-refusal";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        quiet();
        slack.failNextCallWith("not_in_channel");
        Digest v1 = publish(app, "v1");

        var failed = await().atMost(WAIT).until(() -> approvalCalls(app, "FAILED"), calls -> calls.size() == 1).get(0);
        assertThat((String) failed.get("lastOutcome")).contains("not_in_channel");
        assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().startsWith(app + " ")).isEmpty();
        long id = ((Number) failed.get("id")).longValue();
        given().auth().oauth2("viewer-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then().statusCode(403);

        given().auth().oauth2("operator-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then()
                .statusCode(200).body("status", is("PENDING"));
        SlackStandIn.Message asked = awaitMessage(app, v1);
        await().atMost(WAIT).until(() -> approvalCalls(app, "SUCCEEDED").size() == 1);
        assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().startsWith(app + " ")).containsExactly(asked);
        given().auth().oauth2("operator-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then()
                .statusCode(409);
    }

    @Test
    void senderReplicasRunningAtOnceSendEveryMessageOnce() throws Exception {
        List<String> apps = List.of("slack-race-a", "slack-race-b", "slack-race-c", "slack-race-d", "slack-race-e");
        apps.forEach(app -> define(app, "approvals: { count: 1, from: ['@release-managers'] }"));
        // Two more sweepers besides the scheduled one, each sweeping as fast as it can: three replicas over one database.
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        Runnable replica = () -> {
            while (!stop.get()) {
                Contexts.onFreshContext(vertx, sweeper::sweep).await().indefinitely();
            }
        };
        CompletableFuture<Void> first = CompletableFuture.runAsync(replica, replicas);
        CompletableFuture<Void> second = CompletableFuture.runAsync(replica, replicas);
        try {
            List<Digest> digests = apps.stream().map(app -> publish(app, "v1")).toList();
            for (int i = 0; i < apps.size(); i++) {
                awaitMessage(apps.get(i), digests.get(i));
            }
        } finally {
            stop.set(true);
            first.get();
            second.get();
            replicas.shutdown();
        }
        for (String app : apps) {
            assertThat(slack.calls("chat.postMessage")).filteredOn(c -> c.body().path("text").asText().startsWith(app + " "))
                    .as("%s's request posted once", app).hasSize(1);
            assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().startsWith(app + " ")).hasSize(1);
        }
    }

    @Test
    void changedApprovalRulesArePostedToTheStagesChannelWithWhoTheRevisionAndOldAndNewRules() {
        String app = "slack-rules";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        define(app, "approvals: { count: 2, from: ['@release-managers'] }");

        SlackStandIn.Message notice = await().atMost(WAIT).until(() -> slack.messages(CHANNEL).stream()
                .filter(m -> m.text().contains("approval rules of *" + app + "* in *prod* (revision 2)")).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(notice.text()).startsWith(":memo: *")
                .endsWith("(revision 2): 1 approval from @release-managers → 2 approvals from @release-managers");
        assertThat(slack.messages(CHANNEL)).filteredOn(m -> m.text().contains("approval rules of *" + app + "* in *prod* (revision 1): none → 1 approval"))
                .hasSize(1);
        // Saving the same text again changes no rules and tells nobody.
        define(app, "approvals: { count: 2, from: ['@release-managers'] }");
        assertThat(given().auth().oauth2("viewer-token").get("/api/v1/outgoing-calls").then().statusCode(200)
                .extract().jsonPath().getList("outgoingCalls.findAll { it.application == '" + app + "' }.kind"))
                .as("one notice per saved change of rules, kept as outgoing calls").containsExactly("slack", "slack");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** Waits until the messages of earlier tests settled, so that a failure set up next meets this test's call. */
    private void quiet() {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger(-1);
        await().atMost(WAIT).until(() -> {
            int now = slack.calls().size();
            return seen.getAndSet(now) == now;
        });
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> slack.calls().size() == seen.get());
    }

    /** The approval-message calls about the application, as the outgoing-calls API lists them, newest first. */
    private List<Map<String, Object>> approvalCalls(String app, String status) {
        var request = given().auth().oauth2("viewer-token").queryParam("limit", 200);
        if (status != null) {
            request = request.queryParam("status", status);
        }
        return request.get("/api/v1/outgoing-calls").then().statusCode(200).extract().jsonPath()
                .getList("outgoingCalls.findAll { it.application == '" + app + "' && it.kind == 'slack-approval' }");
    }

    private void define(String app, String prodGates) {
        String yaml = """
                application: %s
                repository: %s/shop/%s
                people:
                  ada: { slack: [U0ADA], api: [ada-cli], git: [ada] }
                  bob: { slack: [U0BOB], api: [bob-cli] }
                  cyd: { slack: [U0CYD] }
                  eve: { slack: [U0EVE] }
                groups:
                  release-managers: [ada, bob, cyd]
                stages:
                  - name: dev
                  - name: prod
                    slack: { channel: C0RELEASES }
                    gates:
                      %s
                """.formatted(app, pipeline.registryAddress(), app, prodGates);
        given().contentType("application/yaml").header("Authorization", "Bearer test-token").body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private Digest publish(String app, String version) {
        Digest digest = Digest.parse(pipeline.image().file("/app/version.txt", version)
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push("shop/" + app, version));
        pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, digest,
                "0123456789abcdef0123456789abcdef01234567", "http://ci.local/job/" + version, "ada"));
        return digest;
    }

    private SlackStandIn.Message awaitMessage(String app, Digest digest) {
        return await().atMost(WAIT).until(() -> slack.messages(CHANNEL).stream()
                        .filter(m -> m.text().startsWith(app + " " + digest.shortForm() + " ")).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private SlackStandIn.Message message(SlackStandIn.Message posted) {
        return slack.messages(CHANNEL).stream().filter(m -> m.ts().equals(posted.ts())).findFirst().orElseThrow();
    }

    /** Clicks as {@code user} and returns the ephemeral reply the clicker got through the response_url. */
    private String clickAndHear(SlackStandIn.Message message, String user, String actionId) {
        int before = slack.calls("response_url").size();
        click(message, user, actionId, slack.newResponseUrl().toString()).statusCode(200);
        JsonNode reply = await().atMost(WAIT).until(() -> slack.calls("response_url"), calls -> calls.size() > before)
                .get(before).body();
        assertThat(reply.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(reply.path("replace_original").asBoolean(true)).isFalse();
        return reply.path("text").asText();
    }

    private int decisions(String app) {
        return given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app + "/decisions").then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }

    private ObjectNode payload(SlackStandIn.Message message, String user, String actionId, String responseUrl) {
        JsonNode button = null;
        for (JsonNode block : message.blocks()) {
            for (JsonNode element : block.path("elements")) {
                if (element.path("action_id").asText().equals(actionId)) {
                    button = element;
                }
            }
        }
        assertThat(button).as("the message has a %s button", actionId).isNotNull();
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase()).put("name", user.toLowerCase())
                .put("team_id", "T0SHOP");
        payload.put("api_app_id", "A0PROMOTER");
        payload.put("token", "deprecated-verification-token");
        payload.putObject("container").put("type", "message").put("message_ts", message.ts())
                .put("channel_id", message.channel()).put("is_ephemeral", false);
        payload.put("trigger_id", "1234567890.0987654321.abcdef");
        payload.putObject("team").put("id", "T0SHOP").put("domain", "shop");
        payload.putObject("channel").put("id", message.channel()).put("name", "releases");
        ObjectNode posted = payload.putObject("message");
        posted.put("type", "message").put("ts", message.ts()).put("text", message.text());
        posted.set("blocks", message.blocks());
        payload.put("response_url", responseUrl);
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", actionId).put("block_id", "decision").put("value", button.path("value").asText())
                .put("type", "button").put("action_ts", "1790000000.123456");
        action.set("text", button.path("text"));
        return payload;
    }

    private io.restassured.response.ValidatableResponse click(SlackStandIn.Message message, String user, String actionId,
                                                             String responseUrl) {
        String body = form(payload(message, user, actionId, responseUrl));
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        return post(body, timestamp, "v0=" + SlackSignature.sign(SlackResource.SIGNING_SECRET, timestamp, bytes(body)));
    }

    private static io.restassured.response.ValidatableResponse post(String body, String timestamp, String signature) {
        var request = given().contentType("application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", timestamp)
                .body(body);
        if (signature != null) {
            request = request.header("X-Slack-Signature", signature);
        }
        return request.when().post("/slack/interactions").then();
    }

    private static String form(ObjectNode payload) {
        return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
