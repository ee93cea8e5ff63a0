package dev.apppasswords.authentication;

import java.util.Set;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.spi.NoLifecycle;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * What the app-password authenticator factories share. The reference category is {@code password}
 * because Keycloak's brute-force protector counts failures only for password, OTP and recovery-code
 * authenticators; the optional category {@code app-password} makes the account console list the type.
 */
abstract class AppPasswordAuthenticatorFactory implements AuthenticatorFactory, NoLifecycle<Authenticator> {

    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }

    @Override
    public Set<String> getOptionalReferenceCategories(KeycloakSession session) {
        return Set.of(AppPasswordCredentialModel.TYPE);
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }
}
