package dev.apppasswords.authentication;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.models.AuthenticatorConfigModel;
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
public class DirectGrantAppPasswordAuthenticator extends AppPasswordAuthenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        String typed = context.getHttpRequest().getDecodedFormParameters().getFirst(CredentialRepresentation.PASSWORD);
        AppPasswordVerifier verifier = new AppPasswordVerifier(context.getSession());
        Verdict verdict = verifier.verify(context.getRealm(), user, typed, context.getAuthenticationSession().getClient());

        if (verdict.accepted()) {
            if (DirectGrantAppPasswordSettings.of(context.getAuthenticatorConfig()).transientSessions()) {
                context.getAuthenticationSession().setClientNote(AuthenticationManager.USER_SESSION_PERSISTENT_STATE,
                        UserSessionModel.SessionPersistenceState.TRANSIENT.toString());
            }
            accept(context, verifier, verdict);
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
    public boolean requiresUser() {
        return true;
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
