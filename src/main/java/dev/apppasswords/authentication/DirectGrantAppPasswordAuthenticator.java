package dev.apppasswords.authentication;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Accepts an app password in the {@code password} parameter of a direct grant
 * ({@code grant_type=password}). Keycloak runs it after {@code direct-grant-validate-username} has
 * identified the user.
 *
 * <ul>
 *   <li>ALTERNATIVE: no match means {@code attempted()}, so the sibling "password and OTP" sub-flow runs.</li>
 *   <li>REQUIRED: no match is the same {@code invalid_grant} Keycloak's own password validator answers,
 *       and counts for brute-force detection ("app passwords only").</li>
 * </ul>
 */
public class DirectGrantAppPasswordAuthenticator implements Authenticator {

    static final String DETAIL_APP_PASSWORD = "app_password";
    static final String DETAIL_APP_PASSWORD_ID = "app_password_id";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        String typed = context.getHttpRequest().getDecodedFormParameters().getFirst(CredentialRepresentation.PASSWORD);
        AppPasswordVerifier verifier = new AppPasswordVerifier(context.getSession());
        Verdict verdict = verifier.verify(context.getRealm(), user, typed);

        if (verdict.accepted()) {
            context.getEvent().detail(DETAIL_APP_PASSWORD, "true").detail(DETAIL_APP_PASSWORD_ID, verdict.appPassword().getId());
            if (DirectGrantAppPasswordSettings.of(context.getAuthenticatorConfig()).transientSessions()) {
                context.getAuthenticationSession().setClientNote(AuthenticationManager.USER_SESSION_PERSISTENT_STATE,
                        UserSessionModel.SessionPersistenceState.TRANSIENT.toString());
            }
            verifier.recordUse(context.getRealm(), user, verdict.appPassword(), context.getAuthenticationSession().getClient());
            // Reported as its own credential type, not "password": Keycloak's brute-force protector then leaves
            // the failure counter alone. A mail client logging in every minute must not wipe out the failures
            // an attacker piles up against the account password (and it skips an asynchronous write per login).
            context.success(AppPasswordCredentialModel.TYPE);
            return;
        }
        if (verdict.wrongSecret() && context.getExecution().isAlternative()) {
            context.attempted();
            return;
        }
        context.getEvent().user(user).error(verdict.eventError());
        Response invalidGrant = Response.status(Response.Status.BAD_REQUEST)
                .entity(new OAuth2ErrorRepresentation("invalid_grant", "Invalid user credentials"))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
        if (verdict.wrongSecret()) {
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, invalidGrant);
        } else {
            // Disabled or locked: refuse without counting another failure.
            context.forceChallenge(invalidGrant);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
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

    /** Reads this execution's configuration. */
    record DirectGrantAppPasswordSettings(boolean transientSessions) {
        static final String TRANSIENT_SESSIONS = "transientSessions";

        static DirectGrantAppPasswordSettings of(AuthenticatorConfigModel config) {
            boolean transientSessions = config != null && config.getConfig() != null
                    && Boolean.parseBoolean(config.getConfig().get(TRANSIENT_SESSIONS));
            return new DirectGrantAppPasswordSettings(transientSessions);
        }
    }
}
