package dev.promoter.kit.slack;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;

/** One Slack Web API client per service, from {@link SlackConfig}. */
@ApplicationScoped
public class SlackWebApiProducer {

    // Slack asks apps to answer within 3 s; a call that takes longer than that is not worth waiting for either.
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Produces
    @Singleton
    SlackWebApi slackWebApi(SlackConfig config) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return new SlackWebApi(config.apiUrl(), config.botToken(), config.responseUrlPrefix(), http, TIMEOUT);
    }
}
