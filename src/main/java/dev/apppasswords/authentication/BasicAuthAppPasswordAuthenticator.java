package dev.apppasswords.authentication;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.basic.BasicCredentials;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;

/**
 * Accepts an app password sent as {@code Authorization: Basic} — the only thing CalDAV/WebDAV clients,
 * {@code git}, {@code docker login} and SAML ECP clients can send. Keycloak runs it in whichever flow it
 * is placed: the realm's Docker authentication flow, the SAML ECP flow, or a client's browser-flow
 * override. A missing or wrong header gets 401 with a {@code WWW-Authenticate: Basic} challenge.
 */
public class BasicAuthAppPasswordAuthenticator extends AppPasswordAuthenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
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
