package dev.promoter.rollback.messaging;

import dev.promoter.rollback.config.RollbackConfig;
import dev.promoter.kit.BearerTokens;
import dev.promoter.messaging.OperatorAccess;
import jakarta.enterprise.context.ApplicationScoped;

/** Who may replay this service's dead letters: a caller with an API token. Role: operator. */
@ApplicationScoped
class DeadLetterAccess implements OperatorAccess {

    private final BearerTokens tokens;

    DeadLetterAccess(RollbackConfig config) {
        this.tokens = new BearerTokens(config.apiTokens());
    }

    @Override
    public String requireOperator(String authorizationHeader) {
        return tokens.require(authorizationHeader);
    }
}
