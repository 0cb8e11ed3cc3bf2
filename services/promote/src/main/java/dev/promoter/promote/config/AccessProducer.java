package dev.promoter.promote.config;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Who may call the promote service: {@code promote.api-tokens.*} and {@code promote.api-roles.*}. */
@ApplicationScoped
class AccessProducer {

    @Produces
    @Singleton
    Access access(PromoteConfig config, AuthConfig auth) {
        return Access.of("promote", config.apiTokens(), config.apiRoles(), auth);
    }
}
