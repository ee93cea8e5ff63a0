package dev.apppasswords.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * The extension's own SPI, {@code app-passwords}: one singleton factory ({@link DefaultAppPasswordsFactory}) that
 * owns every piece of server state — settings, caches, throttles, the clean-up schedule — inside Keycloak's
 * lifecycle, and a per-session provider ({@link AppPasswords}) that hands the verifier, the service and the stores to
 * every entry (authenticators, REST, admin, required action, listeners, token post-processor).
 */
public class AppPasswordsSpi implements Spi {

    public static final String NAME = "app-passwords";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return AppPasswords.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return AppPasswordsFactory.class;
    }
}
