package dev.apppasswords.token;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/** Registers {@link AppPasswordTokenPostProcessor}; Keycloak runs every post-processor on every token response. */
public class AppPasswordTokenPostProcessorFactory implements TokenPostProcessorFactory {

    public static final String ID = "app-password-tokens";

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new AppPasswordTokenPostProcessor(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    /** Post-processors run from the highest order down: run last, so nothing added after this narrows back in. */
    @Override
    public int order() {
        return -1000;
    }
}
