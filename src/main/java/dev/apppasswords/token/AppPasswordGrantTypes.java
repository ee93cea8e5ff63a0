package dev.apppasswords.token;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantType;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.PermissionGrantType;
import org.keycloak.protocol.oidc.grants.PermissionGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantType;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.ResourceOwnerPasswordCredentialsGrantType;
import org.keycloak.protocol.oidc.grants.ResourceOwnerPasswordCredentialsGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.TokenExchangeGrantType;
import org.keycloak.protocol.oidc.grants.TokenExchangeGrantTypeFactory;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak's own grant types, unchanged except for one answer: a token that an app password signed in
 * is not allowed at Keycloak's bearer-token endpoints.
 *
 * <p>Why here: every bearer-token check Keycloak makes for its own APIs — the account REST API, the admin
 * REST API, realm resources such as this extension's REST API, the broker's token endpoint — asks the
 * grant type that issued the token ({@code OAuth2GrantType#isTokenAllowed}, through
 * {@code GrantTypeEndpointRestrictionValidator}). The userinfo and introspection endpoints do not, so
 * Dovecot's sequence keeps working. Stripping roles from the token alone would not do: the account API
 * rebuilds them from the session and the admin API reads the user's roles, not the token's. A factory
 * with the id of a built-in one replaces it (Keycloak prefers a provider's factory over its own), so this
 * holds for every client and every user with no configuration.
 *
 * <p>Covered: the grants that can carry a session an app password signed in (password, refresh,
 * authorization code, token exchange, UMA permission).
 */
public final class AppPasswordGrantTypes {

    private AppPasswordGrantTypes() {
    }

    static boolean allowed(KeycloakSession session, AccessToken token) {
        return !AppPasswordTokens.signedInByAppPassword(session, token);
    }

    public static class Password extends ResourceOwnerPasswordCredentialsGrantTypeFactory {
        @Override
        public OAuth2GrantType create(KeycloakSession session) {
            return new ResourceOwnerPasswordCredentialsGrantType() {
                @Override
                public boolean isTokenAllowed(KeycloakSession s, AccessToken token) {
                    return allowed(s, token) && super.isTokenAllowed(s, token);
                }
            };
        }
    }

    public static class RefreshToken extends RefreshTokenGrantTypeFactory {
        @Override
        public OAuth2GrantType create(KeycloakSession session) {
            return new RefreshTokenGrantType() {
                @Override
                public boolean isTokenAllowed(KeycloakSession s, AccessToken token) {
                    return allowed(s, token) && super.isTokenAllowed(s, token);
                }
            };
        }
    }

    public static class AuthorizationCode extends AuthorizationCodeGrantTypeFactory {
        @Override
        public OAuth2GrantType create(KeycloakSession session) {
            return new AuthorizationCodeGrantType() {
                @Override
                public boolean isTokenAllowed(KeycloakSession s, AccessToken token) {
                    return allowed(s, token) && super.isTokenAllowed(s, token);
                }
            };
        }
    }

    public static class TokenExchange extends TokenExchangeGrantTypeFactory {
        @Override
        public OAuth2GrantType create(KeycloakSession session) {
            return new TokenExchangeGrantType() {
                @Override
                public boolean isTokenAllowed(KeycloakSession s, AccessToken token) {
                    return allowed(s, token) && super.isTokenAllowed(s, token);
                }
            };
        }
    }

    public static class Permission extends PermissionGrantTypeFactory {
        @Override
        public OAuth2GrantType create(KeycloakSession session) {
            return new PermissionGrantType() {
                @Override
                public boolean isTokenAllowed(KeycloakSession s, AccessToken token) {
                    return allowed(s, token) && super.isTokenAllowed(s, token);
                }
            };
        }
    }
}
