package dev.promoter.kit.outbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Where the pipeline may send requests on a user's behalf (health probes, smoke checks, deploy hooks); environment
 * PIPELINE_OUTBOUND_ALLOWED, comma-separated. The same setting in every service.
 */
@ConfigMapping(prefix = "pipeline.outbound")
public interface OutboundConfig {

    /**
     * Allowed hosts: CIDR ranges, addresses, host names and {@code *.domain}; loopback by default, as the local stack
     * and the tests need. Link-local and cloud-metadata addresses stay refused unless named explicitly.
     */
    @WithDefault("127.0.0.0/8,::1,localhost")
    List<String> allowed();

    /** The allow-list of {@link #allowed()}. */
    default OutboundUrls urls() {
        return OutboundUrls.allowing(allowed());
    }
}
