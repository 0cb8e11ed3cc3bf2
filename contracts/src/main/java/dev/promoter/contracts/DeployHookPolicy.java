package dev.promoter.contracts;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a stage's runtime is told to restart on a new digest after every move of the stage's tag (promotion or
 * rollback): the CDEvent of the move is POSTed there.
 *
 * @param url    the hook's http(s) URL
 * @param secret the name of a secret in the rollback service's config ({@code rollback.deploy-hook-secrets.<name>})
 *               used to sign the body with HMAC-SHA256; null to send unsigned. Never the secret itself.
 */
public record DeployHookPolicy(URI url, String secret) {

    private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public DeployHookPolicy {
        Require.httpUrl(url, "deployHook.url");
        if (secret != null && !SECRET_NAME.matcher(secret).matches()) {
            throw new IllegalArgumentException("deployHook.secret must name a secret with lowercase letters, digits"
                    + " and '-', got " + Require.quote(secret));
        }
    }
}
