package dev.promoter.promote.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {

    // The worked example of Slack's "Verifying requests from Slack" guide.
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String TIMESTAMP = "1531420618";
    private static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
            + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final Instant THEN = Instant.ofEpochSecond(1531420618);

    @Test
    void slacksOwnExampleVerifies() {
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN)).isNull();
    }

    @Test
    void aChangedBodyOrSecretDoesNot() {
        byte[] changed = BODY.clone();
        changed[0] = 'T';
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, SIGNATURE, changed, THEN)).isEqualTo("X-Slack-Signature does not match");
        assertThat(SlackSignature.refusal("another-secret", TIMESTAMP, SIGNATURE, BODY, THEN)).isEqualTo("X-Slack-Signature does not match");
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, "v0=" + "0".repeat(64), BODY, THEN)).isNotNull();
    }

    @Test
    void timestampsMoreThanFiveMinutesAwayEitherWayAreRefused() {
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(300))).isNull();
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(301)))
                .isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes from now");
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.minusSeconds(301)))
                .isEqualTo("X-Slack-Request-Timestamp is more than 5 minutes from now");
    }

    @Test
    void missingHeadersOrSecretAreRefused() {
        assertThat(SlackSignature.refusal(null, TIMESTAMP, SIGNATURE, BODY, THEN)).contains("not configured");
        assertThat(SlackSignature.refusal(SECRET, null, SIGNATURE, BODY, THEN)).contains("required");
        assertThat(SlackSignature.refusal(SECRET, TIMESTAMP, null, BODY, THEN)).contains("required");
        assertThat(SlackSignature.refusal(SECRET, "yesterday", SIGNATURE, BODY, THEN)).contains("unix seconds");
    }
}
