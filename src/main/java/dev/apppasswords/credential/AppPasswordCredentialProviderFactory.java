package dev.apppasswords.credential;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Registers the {@code app-password} credential type. Server-wide settings and everything else the extension keeps
 * live in the {@code app-passwords} SPI's factory (see dev.apppasswords.spi); its options still accept the names
 * of this provider ({@code --spi-credential--app-password--max-per-user}).
 */
public class AppPasswordCredentialProviderFactory implements CredentialProviderFactory<AppPasswordCredentialProvider> {

    public static final String ID = AppPasswordCredentialModel.TYPE;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public AppPasswordCredentialProvider create(KeycloakSession session) {
        return new AppPasswordCredentialProvider(session);
    }
}
