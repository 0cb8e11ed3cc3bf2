package dev.promoter.rollback.config;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Who may call the rollback service: {@code rollback.api-tokens.*} and {@code rollback.api-roles.*}. */
@ApplicationScoped
class AccessProducer {

    @Produces
    @Singleton
    Access access(RollbackConfig config, AuthConfig auth) {
        return Access.of("rollback", config.apiTokens(), config.apiRoles(), auth);
    }
}
