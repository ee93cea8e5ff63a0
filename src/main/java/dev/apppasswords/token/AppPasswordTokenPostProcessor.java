package dev.apppasswords.token;

import jakarta.ws.rs.core.Response;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.session.AppPasswordSessions;
import org.keycloak.OAuthErrorException;
import org.keycloak.credential.CredentialModel;
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
 *   <li>refuses the response when that app password no longer exists (a refresh or offline token that
 *       outlived a removal, e.g. from a grant that was in flight while the app password was deleted), and
 *       signs the session out;</li>
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
        String appPasswordId = userSession == null ? null : userSession.getNote(AppPasswordSessions.NOTE_APP_PASSWORD_ID);
        if (appPasswordId == null) {
            return;
        }
        if (!stillExists(userSession, appPasswordId)) {
            AppPasswordSessions.signOutAfterCompletion(session, userSession.getRealm().getId(),
                    userSession.getUser().getId(), appPasswordId);
            throw new ErrorResponseException(OAuthErrorException.INVALID_GRANT,
                    "The app password this session was signed in with has been deleted.", Response.Status.BAD_REQUEST);
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

    private static boolean stillExists(UserSessionModel userSession, String appPasswordId) {
        if (userSession.getUser() == null) {
            return false;
        }
        CredentialModel credential = userSession.getUser().credentialManager().getStoredCredentialById(appPasswordId);
        return credential != null && AppPasswordCredentialModel.TYPE.equals(credential.getType());
    }
}
