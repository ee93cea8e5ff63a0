package dev.apppasswords.authentication;

import dev.apppasswords.flow.AppPasswordFlows;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;

/** Registers "App Password (HTTP Basic)" for Docker, SAML ECP and browser-flow overrides. */
public class BasicAuthAppPasswordAuthenticatorFactory extends AppPasswordAuthenticatorFactory {

    public static final String ID = AppPasswordFlows.BASIC_AUTH_STEP;

    public BasicAuthAppPasswordAuthenticatorFactory() {
        super(ID, new BasicAuthAppPasswordAuthenticator(), Requirement.REQUIRED, Requirement.ALTERNATIVE, Requirement.DISABLED);
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
}
