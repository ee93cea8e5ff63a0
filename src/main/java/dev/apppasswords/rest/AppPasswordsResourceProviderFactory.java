package dev.apppasswords.rest;

import dev.apppasswords.spi.NoLifecycle;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Mounts {@link AppPasswordsResource} at {@code /realms/{realm}/app-passwords}. The SPI is marked
 * internal by Keycloak (it logs a warning at start); this class is the only one that touches it.
 */
public class AppPasswordsResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    public static final String ID = "app-passwords";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new AppPasswordsResource(session);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return ID;
    }
}
