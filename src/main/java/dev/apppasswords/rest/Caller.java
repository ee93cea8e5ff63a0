package dev.apppasswords.rest;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import dev.apppasswords.service.AppPasswordProblem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.apppasswords.token.AppPasswordTokens;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.models.AccountRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The end user behind a request, authenticated the way Keycloak's account REST API does it: a bearer
 * token of this realm with audience {@code account} and role {@code manage-account}; service accounts
 * are refused because app passwords belong to people, and so are tokens obtained with an app password:
 * a stolen app password must not mint or delete others.
 */
record Caller(UserModel user, AccessToken token, ClientModel client, UserSessionModel userSession) {

    /** Thrown (and turned into a response) when the request carries no acceptable token. */
    static final class Refused extends Exception {
        final transient Response.ResponseBuilder response;

        Refused(Response.ResponseBuilder response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    static final String APP_PASSWORD_TOKEN = "A token obtained with an app password cannot manage app passwords or the account. "
            + "Sign in with your account password (and second factor).";

    static Caller authenticate(KeycloakSession session, RealmModel realm) throws Refused {
        if (!realm.isEnabled()) {
            throw new Refused(AppPasswordProblem.answer(403, "The realm is disabled."));
        }
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (auth == null && signedWithAppPassword(session)) {
            // Keycloak refused it already (see AppPasswordGrantTypes); only the message is ours.
            throw new Refused(AppPasswordProblem.answer(403, APP_PASSWORD_TOKEN));
        }
        if (auth == null) {
            throw new Refused(AppPasswordProblem.answer(401, "Sign in first: send the user's access token as 'Authorization: Bearer <token>'.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.getName() + "\""));
        }
        AccessToken token = auth.token();
        if (!token.hasAudience(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID)) {
            throw new Refused(AppPasswordProblem.answer(401, "The access token is not meant for the account service (audience 'account' missing)."));
        }
        if (AppPasswordTokens.signedInByAppPassword(session, token)) {
            throw new Refused(AppPasswordProblem.answer(403, APP_PASSWORD_TOKEN));
        }
        if (auth.user().getServiceAccountClientLink() != null) {
            throw new Refused(AppPasswordProblem.answer(403, "Service accounts cannot have app passwords."));
        }
        if (!mayManageAccount(realm, auth.user(), token)) {
            throw new Refused(AppPasswordProblem.answer(403, "The access token lacks the 'manage-account' role."));
        }
        return new Caller(auth.user(), token, auth.client(), auth.session());
    }

    /**
     * Seconds since the user last signed in with their own credentials: the token's {@code auth_time} when it
     * has one, else the session's note of it, else the session's start.
     */
    long secondsSinceSignIn() {
        Long authTime = token.getAuth_time();
        if (authTime == null && userSession != null) {
            String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
            authTime = note != null ? Long.valueOf(note) : (long) userSession.getStarted();
        }
        return authTime == null ? Long.MAX_VALUE : Time.currentTime() - authTime;
    }

    /** Only to pick the message for a token Keycloak has refused already: the claim is read, not trusted. */
    private static boolean signedWithAppPassword(KeycloakSession session) {
        try {
            String encoded = AppAuthManager.extractAuthorizationHeaderToken(session.getContext().getRequestHeaders());
            if (encoded == null) {
                return false;
            }
            AccessToken unverified = TokenVerifier.create(encoded, AccessToken.class).getToken();
            return unverified.getOtherClaims().get(AppPasswordCredentialModel.ID_KEY) != null;
        } catch (VerificationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean mayManageAccount(RealmModel realm, UserModel user, AccessToken token) {
        AccessToken.Access access = token.getResourceAccess(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        if (access != null) {
            return access.isUserInRole(AccountRoles.MANAGE_ACCOUNT);
        }
        // Lightweight tokens carry no roles: ask the user's role mappings instead.
        ClientModel account = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        RoleModel role = account != null ? account.getRole(AccountRoles.MANAGE_ACCOUNT) : null;
        return role != null && user.hasRole(role);
    }
}
