package dev.promoter.build.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Settings of the build service. */
@ConfigMapping(prefix = "build")
public interface BuildConfig {

    /**
     * Bearer tokens of the callers allowed to report builds, by caller name (e.g.
     * {@code build.api-tokens.jenkins}); from the environment only. None configured: every call is refused.
     */
    Map<String, String> apiTokens();
}
