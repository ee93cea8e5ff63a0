package dev.apppasswords.rest;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.spi.AppPasswords;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.flow.AppPasswordFlows;
import dev.apppasswords.basic.BasicCredentials;
import dev.apppasswords.verification.AppPasswordVerifier;
import dev.apppasswords.verification.Verdict;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code GET /realms/{realm}/app-passwords/forward-auth}: the check behind nginx {@code auth_request},
 * Traefik {@code forwardAuth} and Caddy {@code forward_auth}. Username and app password in a Basic
 * header → 200 with headers naming the user; anything else → 401 with a Basic challenge (403 for a
 * disabled realm or a user with pending required actions). Names in headers are percent-encoded UTF-8
 * (see {@link IdentityHeader}), so two users never arrive as one identity; the email only when verified.
 *
 * <p>Proxies call it on every request, so it creates no user session and logs no success event; failures
 * are logged, never counted toward the account's lockout (see AppPasswordVerifier), and a source that sends
 * too many wrong app passwords gets 429 with {@code Retry-After}. There is no verification cache:
 * a deleted app password fails on the next request (see docs/operations.md for the cluster bound).
 */
public class ForwardAuthResource {

    public static final String USER_ID = "X-Auth-User-Id";
    public static final String USERNAME = "X-Auth-Username";
    public static final String EMAIL = "X-Auth-Email";
    public static final String APP_PASSWORD_ID = "X-Auth-App-Password-Id";

    private final KeycloakSession session;
    private final RealmModel realm;

    ForwardAuthResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @GET
    public Response check(@QueryParam("client_id") String clientId) {
        if (!realm.isEnabled()) {
            return forbidden("The realm is disabled.");
        }
        if (session.getContext().getUri().getQueryParameters().getOrDefault("client_id", java.util.List.of()).size() > 1) {
            // A proxy that appends the visitor's query string to its own ?client_id= would let the visitor add a
            // second one; which of them counts must not be the visitor's choice.
            return badRequest("client_id may be given once.");
        }
        ClientModel client = null;
        if (clientId != null) {
            client = realm.getClientByClientId(clientId);
            if (client == null || !client.isEnabled() || !AppPasswordFlows.acceptedBy(realm, client)) {
                return unauthorized();
            }
        }
        BasicCredentials credentials = BasicCredentials.parse(
                session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION)).orElse(null);
        if (credentials == null) {
            return unauthorized();
        }
        AppPasswordVerifier verifier = AppPasswords.of(session).verifier();
        Verdict verdict = verifier.verify(realm, credentials.username(), credentials.password(), client);
        if (verdict.outcome() == Verdict.Outcome.THROTTLED) {
            // Keycloak's security-headers filter turns an answer without a media type into a 500.
            return Response.status(Response.Status.TOO_MANY_REQUESTS).header("Retry-After", verdict.retryAfterSeconds())
                    .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity("Too many wrong app passwords from this address.")
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        if (!verdict.accepted()) {
            loginError(credentials.username(), verdict, client);
            return switch (verdict.outcome()) {
                case ACTION_REQUIRED -> forbidden("Account is not fully set up: sign in with a browser first.");
                case REALM_DISABLED -> forbidden("The realm is disabled.");
                default -> unauthorized();
            };
        }
        verifier.recordUse(realm, verdict.user(), verdict.appPassword(), client);
        UserModel user = verdict.user();
        // Keycloak's security-headers filter insists on a media type for every 200.
        Response.ResponseBuilder ok = Response.ok("OK", MediaType.TEXT_PLAIN_TYPE)
                .header(USER_ID, user.getId())
                .header(USERNAME, IdentityHeader.encode(user.getUsername()))
                .header(APP_PASSWORD_ID, verdict.appPassword().getId())
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        // An unverified address is whatever the user typed, possibly someone else's: never vouch for it. The header is
        // sent empty then, never left out, so that a proxy copying it replaces whatever the visitor sent under that name.
        ok.header(EMAIL, user.getEmail() != null && user.isEmailVerified() ? IdentityHeader.encode(user.getEmail()) : "");
        return ok.build();
    }

    private void loginError(String username, Verdict verdict, ClientModel client) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.LOGIN_ERROR)
                .detail(Details.USERNAME, username)
                .detail(Details.AUTH_METHOD, "forward-auth");
        if (verdict.user() != null) {
            event.user(verdict.user());
        }
        if (verdict.appPassword() != null) {
            event.detail(AppPasswordCredentialModel.ID_KEY, verdict.appPassword().getId());
        }
        if (client != null) {
            event.client(client);
        }
        event.error(verdict.eventError());
    }

    private Response badRequest(String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private Response forbidden(String message) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private Response unauthorized() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, BasicCredentials.challenge(realm.getName()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
