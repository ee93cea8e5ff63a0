package dev.apppasswords.authentication;

import dev.apppasswords.flow.AppPasswordFlows;
import dev.apppasswords.spi.AppPasswords;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.events.Errors;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.session.AppPasswordSessions;
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
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Accepts an app password in the {@code password} parameter of a direct grant
 * ({@code grant_type=password}). Keycloak runs it either after {@code direct-grant-validate-username}
 * has identified the user, or as the first step of its flow, where it finds the user from the
 * {@code username} parameter itself. The second layout lets a user's parallel logins through (mail
 * clients open several connections at once): Keycloak's username step refuses a login while another
 * login of the same user is in flight.
 *
 * <ul>
 *   <li>ALTERNATIVE: a password that is not shaped like an app password means {@code attempted()}, so the
 *       sibling "password and OTP" sub-flow runs (and Keycloak counts a wrong account password there). A wrong
 *       secret in the app-password format is refused here and never reaches it: see AppPasswordVerifier.</li>
 *   <li>REQUIRED: no match is the same {@code invalid_grant} Keycloak's own password validator answers
 *       ("app passwords only"), not counted toward the account's lockout.</li>
 * </ul>
 */
public class DirectGrantAppPasswordAuthenticator extends AppPasswordAuthenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String typed = form.getFirst(CredentialRepresentation.PASSWORD);
        AppPasswordVerifier verifier = AppPasswords.of(context.getSession()).verifier();
        Verdict verdict;
        if (context.getUser() != null) {
            verdict = verifier.verify(context.getRealm(), context.getUser(), typed, context.getAuthenticationSession().getClient());
        } else {
            // First step of its flow: it finds the user itself (see the class comment).
            String username = form.getFirst(AuthenticationManager.FORM_USERNAME);
            if (username == null && !context.getExecution().isAlternative()) {
                context.getEvent().error(Errors.USER_NOT_FOUND);
                context.failure(AuthenticationFlowError.INVALID_USER,
                        oauthError(Response.Status.UNAUTHORIZED, "invalid_request", "Missing parameter: username"));
                return;
            }
            verdict = verifyByUsername(context, verifier, username, typed);
        }

        if (verdict.accepted()) {
            accept(context, verifier, verdict);
            return;
        }
        if (verdict.noMatch() && !verdict.appPasswordShaped() && context.getExecution().isAlternative()) {
            // Not an app password: the account password's steps beside this one judge it (and count it).
            context.attempted();
            return;
        }
        if (verdict.outcome() == Verdict.Outcome.THROTTLED) {
            refuse(context, verdict, Response.fromResponse(oauthError(Response.Status.TOO_MANY_REQUESTS, "invalid_grant",
                    "Too many wrong app passwords from this address. Try again in " + verdict.retryAfterSeconds() + " seconds."))
                    .header("Retry-After", verdict.retryAfterSeconds()).build());
            return;
        }
        refuse(context, verdict, oauthError(Response.Status.BAD_REQUEST, "invalid_grant", description(verdict.outcome())));
    }

    /** What the client is told; a right app password that may not be used says why (its holder knows it already). */
    private static String description(Verdict.Outcome outcome) {
        return switch (outcome) {
            case ACTION_REQUIRED -> "Account is not fully set up";
            case EXPIRED -> "This app password has expired. Create a new one.";
            case FEATURE_OFF -> "App passwords are turned off in this realm.";
            case NOT_ALLOWED -> "App passwords are not allowed for this account.";
            case REVOKED -> "This app password was deleted. Create a new one and update this device.";
            default -> "Invalid user credentials";
        };
    }

    /**
     * Transient: no session is stored. Otherwise the login joins the session this app password opened
     * before (already marked, so left untouched), unless the execution asks for one session per login
     * (see AppPasswordSessions).
     */
    @Override
    protected void prepareSession(AuthenticationFlowContext context, Verdict verdict) {
        DirectGrantAppPasswordSettings settings = DirectGrantAppPasswordSettings.of(context.getAuthenticatorConfig());
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (settings.transientSessions()) {
            authSession.setClientNote(AuthenticationManager.USER_SESSION_PERSISTENT_STATE,
                    UserSessionModel.SessionPersistenceState.TRANSIENT.toString());
        } else if (settings.shareSession()) {
            UserSessionModel joinable = AppPasswordSessions.joinable(context.getSession(), context.getRealm(), verdict.user(),
                    verdict.appPassword().getId(), authSession);
            if (joinable != null) {
                context.attachUserSession(joinable);
                return;
            }
        }
        super.prepareSession(context, verdict);
    }

    private static Response oauthError(Response.Status status, String error, String description) {
        return Response.status(status).entity(new OAuth2ErrorRepresentation(error, description))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    /** Reads this execution's configuration; without one, sessions are stored and shared. */
    record DirectGrantAppPasswordSettings(boolean transientSessions, boolean shareSession) {

        static DirectGrantAppPasswordSettings of(AuthenticatorConfigModel config) {
            Map<String, String> values = config != null && config.getConfig() != null ? config.getConfig() : Map.of();
            return new DirectGrantAppPasswordSettings(Boolean.parseBoolean(values.get(AppPasswordFlows.TRANSIENT_SESSIONS)),
                    !"false".equalsIgnoreCase(values.getOrDefault(AppPasswordFlows.SHARE_SESSION, "true").strip()));
        }
    }
}
