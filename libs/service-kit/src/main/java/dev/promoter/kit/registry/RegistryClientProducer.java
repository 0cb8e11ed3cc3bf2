package dev.promoter.kit.registry;

import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes one registry client per service from {@link RegistryConfig}, shared by all its callers. */
@ApplicationScoped
public class RegistryClientProducer {

    // Singleton, not ApplicationScoped: the client class is final, so it cannot sit behind a proxy.
    @Produces
    @Singleton
    RegistryClient registryClient(RegistryConfig config) {
        RegistryCredentials credentials = config.username()
                .map(user -> RegistryCredentials.basic(user, config.password().orElse("")))
                .orElse(RegistryCredentials.anonymous());
        RegistryClient.Builder client = RegistryClient.builder(config.address()).credentials(credentials);
        if (config.insecure()) {
            client.plainHttp(true);
        }
        return client.build();
    }
}
