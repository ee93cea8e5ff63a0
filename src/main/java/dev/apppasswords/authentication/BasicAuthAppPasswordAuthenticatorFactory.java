package dev.apppasswords.authentication;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Registers "App Password (HTTP Basic)". Reference category {@code password} so that failures count for
 * brute-force detection; optional category {@code app-password} for the account console.
 */
public class BasicAuthAppPasswordAuthenticatorFactory extends AppPasswordAuthenticatorFactory {

    public static final String ID = "basic-auth-app-password";

    private static final BasicAuthAppPasswordAuthenticator SINGLETON = new BasicAuthAppPasswordAuthenticator();

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "App Password (HTTP Basic)";
    }

    @Override
    public String getHelpText() {
        return "Accepts username and one of the user's app passwords from an 'Authorization: Basic' header "
                + "(Docker authentication, SAML ECP, command-line clients); answers 401 with a Basic challenge otherwise.";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }
}
