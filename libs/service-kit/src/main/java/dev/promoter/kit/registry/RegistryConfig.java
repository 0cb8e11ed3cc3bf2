package dev.promoter.kit.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The OCI registry the pipeline moves tags in (environment: PIPELINE_REGISTRY_ADDRESS, ...). */
@ConfigMapping(prefix = "pipeline.registry")
public interface RegistryConfig {

    /** host:port of the registry; repositories the pipeline accepts must live there. */
    String address();

    /** User for basic or token auth; anonymous when absent. */
    Optional<String> username();

    /** Its password or token; from the environment only. */
    Optional<String> password();

    /** Plain HTTP instead of HTTPS (always plain for loopback addresses). */
    @WithDefault("false")
    boolean insecure();
}
