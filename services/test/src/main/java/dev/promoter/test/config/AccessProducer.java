package dev.promoter.test.config;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Who may call the test service: {@code test.api-tokens.*} and {@code test.api-roles.*}. */
@ApplicationScoped
class AccessProducer {

    @Produces
    @Singleton
    Access access(TestConfig config, AuthConfig auth) {
        return Access.of("test", config.apiTokens(), config.apiRoles(), auth);
    }
}
