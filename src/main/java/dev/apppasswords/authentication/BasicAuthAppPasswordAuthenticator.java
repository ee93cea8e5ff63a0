package dev.apppasswords.authentication;

import dev.apppasswords.spi.AppPasswords;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.basic.BasicCredentials;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
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

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        String misuse = misuse(context.getAuthenticationSession());
        if (misuse != null) {
            String clientId = context.getAuthenticationSession().getClient().getClientId();
            if (AppPasswords.of(context.getSession()).firstTime("basic-misuse " + realm.getName() + "/" + clientId)) {
                // Once per client and node: a client set up before 1.0 used the authorization endpoint, which now stops.
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
        AppPasswordVerifier verifier = AppPasswords.of(context.getSession()).verifier();
        Verdict verdict = verifyByUsername(context, verifier, credentials.username(), credentials.password());
        if (verdict.accepted() && actionPending(context, verdict)) {
            // The login itself would ask for an account change (an incomplete profile, an expired password):
            // forms an app password must not reach. Keycloak's direct grant refuses the same way.
            context.getEvent().user(verdict.user()).error(Errors.RESOLVE_REQUIRED_ACTIONS);
            context.forceChallenge(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .entity("Account is not fully set up: sign in with a browser first.").build());
        } else if (verdict.accepted()) {
            accept(context, verifier, verdict);
        } else if (verdict.outcome() == Verdict.Outcome.THROTTLED) {
            refuse(context, verdict, Response.status(Response.Status.TOO_MANY_REQUESTS).header("Retry-After", verdict.retryAfterSeconds())
                    .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .entity("Too many wrong app passwords from this address. Try again later.").build());
        } else {
            refuse(context, verdict, unauthorized(realm));
        }
    }

    /**
     * HTTP Basic is for the Docker registry endpoint and SAML ECP, whose answers (a registry token, a SAML
     * assertion) no Keycloak API accepts. At OpenID Connect's authorization endpoint every response type ends
     * in something Keycloak's own APIs take as a full key: an authorization code redeemed against the session,
     * an access token in the fragment ({@code token}, {@code id_token token}, hybrid) that the account API and
     * the admin API accepted because the implicit flow carries no grant type they could refuse, or a device
     * flow's token. An app password must never yield one, so OpenID Connect clients use the token endpoint
     * ({@code grant_type=password}), whose tokens are narrowed.
     */
    private static String misuse(AuthenticationSessionModel authSession) {
        if (authSession.getClientNote(Constants.KC_ACTION) != null) {
            return "An app password cannot be used to change the account (kc_action). Sign in with your account password.";
        }
        if (OIDCLoginProtocol.LOGIN_PROTOCOL.equals(authSession.getProtocol())) {
            return "An app password sent as HTTP Basic works at the Docker registry and SAML ECP endpoints only. "
                    + "OpenID Connect clients send it to the token endpoint (grant_type=password) instead.";
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

    /**
     * Whether Keycloak would add a required action to this login (its triggers: {@code VERIFY_PROFILE} for an
     * incomplete profile, {@code UPDATE_PASSWORD} for an expired password, ...) besides those stored on the user,
     * which the verifier refused already. Keycloak evaluates the same triggers after the flow anyway.
     */
    private static boolean actionPending(AuthenticationFlowContext context, Verdict verdict) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        AuthenticationManager.evaluateRequiredActionTriggers(context.getSession(), authSession, context.getHttpRequest(),
                context.getEvent(), context.getRealm(), verdict.user());
        return !authSession.getRequiredActions().isEmpty() || verdict.user().getRequiredActionsStream().findAny().isPresent();
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
