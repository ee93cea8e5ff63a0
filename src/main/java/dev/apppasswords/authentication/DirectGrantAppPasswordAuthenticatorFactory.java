package dev.apppasswords.authentication;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Registers "App Password" for direct grant flows. The reference category is {@code password}
 * because Keycloak's brute-force protector counts failures only for password, OTP and recovery-code
 * authenticators; the optional category {@code app-password} makes the account console list the type.
 */
public class DirectGrantAppPasswordAuthenticatorFactory extends AppPasswordAuthenticatorFactory {

    public static final String ID = "direct-grant-app-password";

    private static final DirectGrantAppPasswordAuthenticator SINGLETON = new DirectGrantAppPasswordAuthenticator();

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "App Password";
    }

    @Override
    public String getHelpText() {
        return "Accepts one of the user's app passwords in the 'password' parameter of a direct grant, in place of password and OTP. "
                + "As ALTERNATIVE next to a password+OTP sub-flow it lets either through; as REQUIRED it allows app passwords only. "
                + "Put it after 'Username Validation', or first in the flow: it then finds the user itself and lets a user's "
                + "parallel logins through (mail clients).";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(DirectGrantAppPasswordAuthenticator.DirectGrantAppPasswordSettings.TRANSIENT_SESSIONS)
                .label("Transient sessions")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("Do not store a user session for app-password logins. Faster and leaves nothing behind for clients "
                        + "that log in on every connection, but the userinfo endpoint and refresh tokens then refuse the tokens "
                        + "(Dovecot's OAuth2 passdb calls userinfo: keep this off for it).")
                .add()
                .property()
                .name(DirectGrantAppPasswordAuthenticator.DirectGrantAppPasswordSettings.SHARE_SESSION)
                .label("One session per app password")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("true")
                .helpText("A login with an app password joins the session the same app password opened before (while it is "
                        + "valid) instead of storing a new one: a mail client logging in on every connection keeps one session, "
                        + "listed as one device. Off: every login stores its own session until it times out.")
                .add()
                .build();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }
}
