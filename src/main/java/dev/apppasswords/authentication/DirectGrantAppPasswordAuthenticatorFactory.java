package dev.apppasswords.authentication;

import dev.apppasswords.flow.AppPasswordFlows;
import java.util.List;

import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Registers "App Password" for direct grant flows, with its session options. */
public class DirectGrantAppPasswordAuthenticatorFactory extends AppPasswordAuthenticatorFactory {

    public static final String ID = AppPasswordFlows.DIRECT_GRANT_STEP;
    /** The configuration key of "Transient sessions" (the set-up endpoint's mail flow sets it). */

    public DirectGrantAppPasswordAuthenticatorFactory() {
        super(ID, new DirectGrantAppPasswordAuthenticator(), Requirement.ALTERNATIVE, Requirement.REQUIRED, Requirement.DISABLED);
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
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(AppPasswordFlows.TRANSIENT_SESSIONS)
                .label("Transient sessions")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("Do not store a user session for app-password logins: the cheapest login, and nothing is left behind "
                        + "by clients that log in on every connection (mail servers). The tokens carry no session id, so userinfo "
                        + "works (Dovecot); there is nothing to refresh: turn off 'Use refresh tokens' on such clients.")
                .add()
                .property()
                .name(AppPasswordFlows.SHARE_SESSION)
                .label("One session per app password")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("true")
                .helpText("A login with an app password joins the session the same app password opened before (while it is "
                        + "valid) instead of storing a new one: a mail client logging in on every connection keeps one session, "
                        + "listed as one device. Off: every login stores its own session until it times out.")
                .add()
                .build();
    }
}
