package dev.apppasswords.removal;

import dev.apppasswords.spi.NoLifecycle;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Registers {@link AppPasswordRemovalListener} as a global listener: Keycloak hands it the events of every
 * realm without a realm admin adding it to the realm's event listeners, so no removal can slip past it.
 */
public class AppPasswordRemovalListenerFactory implements EventListenerProviderFactory, NoLifecycle<EventListenerProvider> {

    public static final String ID = "app-password-removal";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new AppPasswordRemovalListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }
}
