package dev.promoter.rollback.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the rollback service; how to probe each stage comes from its promotion events, not from here. */
@ConfigMapping(prefix = "rollback")
public interface RollbackConfig {

    /**
     * First wait before acting again on a verdict that could not be carried out (registry or database
     * unreachable); it doubles with every attempt.
     */
    @WithDefault("200ms")
    Duration retryBackoff();

    /** Longest wait between two such attempts; the service keeps trying while the stage still runs that digest. */
    @WithDefault("10s")
    Duration maxRetryBackoff();
}
