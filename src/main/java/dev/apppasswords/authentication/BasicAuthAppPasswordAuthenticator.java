package dev.apppasswords.authentication;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.basic.BasicCredentials;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.Constants;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.models.RealmModel;

/**
 * Accepts an app password sent as {@code Authorization: Basic} — the only thing CalDAV/WebDAV clients,
 * {@code git}, {@code docker login} and SAML ECP clients can send. Keycloak runs it in whichever flow it
 * is placed: the realm's Docker authentication flow, the SAML ECP flow, or a client's browser-flow
 * override. A missing or wrong header gets 401 with a {@code WWW-Authenticate: Basic} challenge. The
 * session it signs in is never stored, so it leaves nothing behind for single sign-on.
 */
public class BasicAuthAppPasswordAuthenticator extends AppPasswordAuthenticator {

    private static final Logger LOG = Logger.getLogger(BasicAuthAppPasswordAuthenticator.class);
    private static final Set<String> WARNED_CLIENTS = ConcurrentHashMap.newKeySet();

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        String misuse = misuse(context.getAuthenticationSession());
        if (misuse != null) {
            String clientId = context.getAuthenticationSession().getClient().getClientId();
            if (WARNED_CLIENTS.size() < 1000 && WARNED_CLIENTS.add(realm.getName() + "/" + clientId)) {
                // Once per client and node: a client set up before this version used the code flow, which now stops.
                LOG.warnf("Realm %s, client %s: %s", realm.getName(), clientId, misuse);
            }
            context.getEvent().detail(Details.REASON, misuse).error(Errors.INVALID_REQUEST);
            context.forceChallenge(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(misuse).build());
            return;
        }
        BasicCredentials credentials = BasicCredentials.parse(
                context.getHttpRequest().getHttpHeaders().getHeaderString(HttpHeaders.AUTHORIZATION)).orElse(null);
        if (credentials == null) {
            context.challenge(unauthorized(realm));
            return;
        }
        AppPasswordVerifier verifier = new AppPasswordVerifier(context.getSession());
        Verdict verdict = verifyByUsername(context, verifier, credentials.username(), credentials.password());
        if (verdict.accepted()) {
            accept(context, verifier, verdict);
        } else {
            refuse(context, verdict, unauthorized(realm));
        }
    }

    /**
     * An HTTP Basic login opens no session anyone could come back to (see {@link #prepareSession}). So it
     * cannot end in an authorization code, which is redeemed later against the stored session, and it never
     * starts an application-initiated action ({@code kc_action}), which would hand an account change to
     * whoever holds an app password.
     */
    private static String misuse(AuthenticationSessionModel authSession) {
        if (authSession.getClientNote(Constants.KC_ACTION) != null) {
            return "An app password cannot be used to change the account (kc_action). Sign in with your account password.";
        }
        String responseType = authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM);
        if (OIDCLoginProtocol.LOGIN_PROTOCOL.equals(authSession.getProtocol()) && responseType != null
                && Arrays.asList(responseType.split(" ")).contains(OAuth2Constants.CODE)) {
            return "An HTTP Basic sign-in with an app password opens no session, so it cannot issue an authorization code. "
                    + "Use the token endpoint (grant_type=password) with the app password, or response_type=token.";
        }
        return null;
    }

    /**
     * Transient, always: no user session is stored and the identity cookie Keycloak writes names a session
     * that does not exist, so nothing signed in over HTTP Basic can be reused for single sign-on at another
     * client, for the account console or for linking an identity provider. The Docker and SAML ECP
     * endpoints ask for this themselves; a client's browser-flow override did not.
     */
    @Override
    protected void prepareSession(AuthenticationFlowContext context, Verdict verdict) {
        super.prepareSession(context, verdict);
        context.getAuthenticationSession().setClientNote(AuthenticationManager.USER_SESSION_PERSISTENT_STATE,
                UserSessionModel.SessionPersistenceState.TRANSIENT.toString());
    }

    private static Response unauthorized(RealmModel realm) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, BasicCredentials.challenge(realm.getName()))
                .build();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }
}
