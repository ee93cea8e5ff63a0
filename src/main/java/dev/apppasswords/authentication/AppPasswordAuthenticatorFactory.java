package dev.apppasswords.authentication;

import java.util.List;
import java.util.Set;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.spi.NoLifecycle;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * What the app-password authenticator factories share. The reference category is {@code password}
 * because Keycloak's brute-force protector counts failures only for password, OTP and recovery-code
 * authenticators; the optional category {@code app-password} makes the account console list the type.
 */
abstract class AppPasswordAuthenticatorFactory implements AuthenticatorFactory, NoLifecycle<Authenticator> {

    private final String id;
    private final Authenticator authenticator;
    private final Requirement[] requirements;

    /** The authenticator is stateless, so one instance serves every session; requirements in menu order. */
    AppPasswordAuthenticatorFactory(String id, Authenticator authenticator, Requirement... requirements) {
        this.id = id;
        this.authenticator = authenticator;
        this.requirements = requirements;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return requirements;
    }

    @Override
    public boolean isConfigurable() {
        return !getConfigProperties().isEmpty();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

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
