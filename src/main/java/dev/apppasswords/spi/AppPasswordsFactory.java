package dev.apppasswords.spi;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@code app-passwords} SPI; {@link DefaultAppPasswordsFactory} is the one implementation. */
public interface AppPasswordsFactory extends ProviderFactory<AppPasswords> {
}
