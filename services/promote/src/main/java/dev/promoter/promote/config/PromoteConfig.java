package dev.promoter.promote.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Settings of the promote service. */
@ConfigMapping(prefix = "promote")
public interface PromoteConfig {

    /** Folder of pipeline definitions (*.yaml) loaded at start; a bad file stops the start. */
    Optional<Path> definitionsDir();

    /**
     * Bearer tokens of callers allowed to change pipeline definitions, by caller name
     * ({@code promote.api-tokens.<caller>}); from the environment only.
     */
    Map<String, String> apiTokens();
}
