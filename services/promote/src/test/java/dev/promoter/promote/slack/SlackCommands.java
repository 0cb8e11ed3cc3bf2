package dev.promoter.promote.slack;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The {@code /promoter} slash command as Slack sends it: a signed form with command, text, user_id, response_url. */
public final class SlackCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackCommands() {
    }

    /** Sends {@code /promoter <text>} as {@code user}, signed, and returns the JSON answer (200 expected). */
    public static JsonNode send(String user, String text) {
        String body = form(user, text);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String answer = given().contentType("application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", "v0=" + SlackSignature.sign(SlackResource.SIGNING_SECRET, timestamp,
                        body.getBytes(StandardCharsets.UTF_8)))
                .body(body).post("/slack/commands").then().statusCode(200).contentType("application/json")
                .extract().asString();
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same command with a signature made with another secret. */
    public static ValidatableResponse sendUnsigned(String text) {
        String body = form("U0OPS", text);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        return given().contentType("application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", "v0=" + SlackSignature.sign("not-the-secret", timestamp,
                        body.getBytes(StandardCharsets.UTF_8)))
                .body(body).post("/slack/commands").then();
    }

    private static String form(String user, String text) {
        return "token=deprecated&team_id=T0SHOP&team_domain=shop&channel_id=C0RELEASES&channel_name=releases"
                + "&user_id=" + user + "&user_name=" + user.toLowerCase() + "&command=" + enc("/promoter")
                + "&text=" + enc(text) + "&api_app_id=A0PROMOTER&is_enterprise_install=false"
                + "&response_url=" + enc("https://hooks.slack.com/commands/T0SHOP/1/abc")
                + "&trigger_id=" + enc("1.2.abc");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
