package dev.apppasswords.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.AccountRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The end user behind a request, authenticated the way Keycloak's account REST API does it: a bearer
 * token of this realm with audience {@code account} and role {@code manage-account}; service accounts
 * are refused because app passwords belong to people.
 */
record Caller(UserModel user, AccessToken token, ClientModel client) {

    /** Thrown (and turned into a response) when the request carries no acceptable token. */
    static final class Refused extends Exception {
        final transient Response.ResponseBuilder response;

        Refused(Response.ResponseBuilder response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    static Caller authenticate(KeycloakSession session, RealmModel realm) throws Refused {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (auth == null) {
            throw new Refused(ApiError.of(401, "Sign in first: send the user's access token as 'Authorization: Bearer <token>'.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.getName() + "\""));
        }
        AccessToken token = auth.token();
        if (!token.hasAudience(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID)) {
            throw new Refused(ApiError.of(401, "The access token is not meant for the account service (audience 'account' missing)."));
        }
        if (auth.user().getServiceAccountClientLink() != null) {
            throw new Refused(ApiError.of(403, "Service accounts cannot have app passwords."));
        }
        if (!mayManageAccount(realm, auth.user(), token)) {
            throw new Refused(ApiError.of(403, "The access token lacks the 'manage-account' role."));
        }
        return new Caller(auth.user(), token, auth.client());
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
