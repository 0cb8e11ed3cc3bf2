package dev.promoter.build.config;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Who may call the build service: {@code build.api-tokens.*} and {@code build.api-roles.*}. */
@ApplicationScoped
class AccessProducer {

    @Produces
    @Singleton
    Access access(BuildConfig config, AuthConfig auth) {
        return Access.of("build", config.apiTokens(), config.apiRoles(), auth);
    }
}
