package dev.apppasswords.token;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.spi.AppPasswords;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.session.AppPasswordSessions;
import org.keycloak.OAuthErrorException;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.services.ErrorResponseException;

/**
 * Keycloak calls this for every token response it builds (grants, refreshes, offline tokens), for every
 * client, with no configuration: so no client can be forgotten. For a session an app password signed in
 * it
 * <ul>
 *   <li>refuses the response, and signs the session out, when the app password may no longer carry it by the
 *       rules of a login ({@link AppPasswordVerifier#recheck}): deleted, expired, limited to other clients,
 *       switched off in the realm, or its owner no longer eligible. So a refresh or offline token never outlives
 *       what a new login would be refused;</li>
 *   <li>narrows the access token (see {@link AppPasswordTokens#narrow}), and drops the session id from the
 *       access token of a transient session.</li>
 * </ul>
 */
public class AppPasswordTokenPostProcessor implements TokenPostProcessor {

    private final KeycloakSession session;

    public AppPasswordTokenPostProcessor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        if (context.clientSessionCtx() == null || context.clientSessionCtx().getClientSession() == null) {
            return;
        }
        UserSessionModel userSession = context.clientSessionCtx().getClientSession().getUserSession();
        String appPasswordId = userSession == null ? null : userSession.getNote(AppPasswordCredentialModel.ID_KEY);
        if (appPasswordId == null) {
            return;
        }
        ClientModel client = context.clientSessionCtx().getClientSession().getClient();
        Verdict still = AppPasswords.of(session).verifier().recheck(userSession.getRealm(), userSession.getUser(), appPasswordId, client);
        if (!still.accepted()) {
            if (userSession.getUser() != null) {
                AppPasswordSessions.signOutAfterCompletion(session, userSession.getRealm().getId(),
                        userSession.getUser().getId(), appPasswordId);
            }
            throw new ErrorResponseException(OAuthErrorException.INVALID_GRANT, refusal(still.outcome()), Response.Status.BAD_REQUEST);
        }
        if (context.accessToken() != null) {
            AppPasswordTokens.narrow(userSession.getRealm(), context.accessToken(), appPasswordId);
            if (userSession.getPersistenceState() == UserSessionModel.SessionPersistenceState.TRANSIENT) {
                // The session is never stored: a token naming it would be refused at userinfo and introspection
                // (user_session_not_found). Without a session id Keycloak validates it as a transient session of
                // its own (the token id says "transient"), so Dovecot's grant-then-userinfo works. Keycloak's other
                // grants do the same for transient sessions; its password grant does not.
                context.accessToken().setSessionId(null);
            }
        }
    }

    private static String refusal(Verdict.Outcome outcome) {
        return switch (outcome) {
            case EXPIRED -> "The app password this session was signed in with has expired.";
            case FEATURE_OFF -> "App passwords are turned off in this realm.";
            case NOT_ALLOWED -> "App passwords are no longer allowed for this account.";
            case NOT_FOR_CLIENT -> "The app password this session was signed in with is not for this client.";
            case USER_DISABLED -> "The account is disabled.";
            default -> "The app password this session was signed in with has been deleted.";
        };
    }
}
