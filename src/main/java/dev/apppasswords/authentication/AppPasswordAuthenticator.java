package dev.apppasswords.authentication;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.service.DeviceName;
import dev.apppasswords.session.AppPasswordSessions;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * What every app-password authenticator does once the verifier said yes, whatever protocol carried the
 * password: name the app password on the LOGIN event (never the secret), note its use, and report the
 * login as an {@code app-password} one.
 */
abstract class AppPasswordAuthenticator implements Authenticator {

    static final String DETAIL_APP_PASSWORD = "app_password";

    /**
     * Verifies a username and app password that arrived together (Basic header, or a direct grant whose
     * flow has no username step). The attempted username lets Keycloak's brute-force protector find the
     * user when this execution fails.
     */
    protected Verdict verifyByUsername(AuthenticationFlowContext context, AppPasswordVerifier verifier, String username, String typed) {
        if (username != null) {
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, username);
            context.getEvent().detail(Details.USERNAME, username);
        }
        return verifier.verify(context.getRealm(), username, typed, context.getAuthenticationSession().getClient());
    }

    /**
     * Answers a refused verdict with the protocol's response. Never as a failure Keycloak would count toward the
     * account's lockout: a wrong app password is no threat to a 112-bit secret, and counting it would let any
     * stranger lock the owner out (see AppPasswordVerifier); the source's throttle bounds what guesses cost.
     * A throttled source logs no event per refusal: the spray would otherwise fill the event store.
     */
    protected void refuse(AuthenticationFlowContext context, Verdict verdict, Response response) {
        if (verdict.user() != null) {
            context.getEvent().user(verdict.user());
        }
        if (verdict.appPassword() != null) {
            context.getEvent().detail(AppPasswordCredentialModel.ID_KEY, verdict.appPassword().getId())
                    .detail(Details.CREDENTIAL_USER_LABEL, DeviceName.forEvent(verdict.appPassword().getUserLabel()));
        }
        if (verdict.outcome() != Verdict.Outcome.THROTTLED) {
            context.getEvent().error(verdict.eventError());
        }
        context.forceChallenge(response);
    }

    protected void accept(AuthenticationFlowContext context, AppPasswordVerifier verifier, Verdict verdict) {
        UserModel user = verdict.user();
        context.setUser(user);
        context.getEvent().user(user)
                .detail(DETAIL_APP_PASSWORD, "true")
                .detail(AppPasswordCredentialModel.ID_KEY, verdict.appPassword().getId());
        verifier.recordUse(context.getRealm(), user, verdict.appPassword(), context.getAuthenticationSession().getClient());
        prepareSession(context, verdict);
        // Reported as its own credential type, not "password": Keycloak's brute-force protector then leaves
        // the failure counter alone. A mail client logging in every minute must not wipe out the failures
        // an attacker piles up against the account password (and it skips an asynchronous write per login).
        context.success(AppPasswordCredentialModel.TYPE);
    }

    /**
     * The session this login will get: by default a new one, marked with the app password's id so that
     * deleting the app password signs it out.
     */
    protected void prepareSession(AuthenticationFlowContext context, Verdict verdict) {
        AppPasswordSessions.mark(context.getAuthenticationSession(), verdict.appPassword().getId());
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
