package dev.apppasswords.token;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apppasswords.session.AppPasswordSessions;
import org.keycloak.Config;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/**
 * The token rules of an app password: a token whose session was signed in by an app password is a
 * narrow, single-factor key for one legacy app. It says so ({@code "amr": ["app-password"]} and the app
 * password's id), it carries nothing that names Keycloak's own account, admin or broker services, and
 * those services refuse it whatever the user's roles (see {@link AppPasswordGrantTypes}).
 */
public final class AppPasswordTokens {

    /** Access-token claim (RFC 8176's "authentication methods references"), replaced by {@value #AMR_APP_PASSWORD}. */
    public static final String CLAIM_AMR = "amr";
    public static final String AMR_APP_PASSWORD = "app-password";

    /**
     * Keycloak's own clients that stand for the user's account, the realm's administration or the identity
     * broker: their audiences and roles never go into an app-password token.
     */
    static final Set<String> KEYCLOAK_SERVICE_CLIENTS = Set.of("account", "account-console", "realm-management",
            "broker", "security-admin-console", "admin-cli");

    private AppPasswordTokens() {
    }

    /**
     * Whether the token belongs to a session an app password signed in: by its claim, or, for tokens issued
     * before this version added the claim, by its user session's note.
     */
    public static boolean signedInByAppPassword(KeycloakSession session, AccessToken token) {
        if (token.getOtherClaims().get(AppPasswordCredentialModel.ID_KEY) != null) {
            return true;
        }
        RealmModel realm = session.getContext().getRealm();
        if (token.getSessionId() == null || realm == null) {
            return false;
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, token.getSessionId());
        if (userSession == null) {
            userSession = session.sessions().getOfflineUserSession(realm, token.getSessionId());
        }
        return userSession != null && userSession.getNote(AppPasswordCredentialModel.ID_KEY) != null;
    }

    /** Strips what reaches the account, the realm's administration or the broker, and says how the token was obtained. */
    public static void narrow(RealmModel realm, AccessToken token, String appPasswordId) {
        // Lightweight tokens keep roles among the other claims; move them where they can be filtered.
        moveRolesFromOtherClaims(token);
        boolean master = Config.getAdminRealm().equals(realm.getName());
        if (token.getAudience() != null) {
            String[] kept = Arrays.stream(token.getAudience()).filter(aud -> !isKeycloakService(aud, master)).toArray(String[]::new);
            token.audience(kept.length == 0 ? null : kept);
        }
        Map<String, AccessToken.Access> resourceAccess = token.getResourceAccess();
        if (resourceAccess != null) {
            resourceAccess.keySet().removeIf(clientId -> isKeycloakService(clientId, master));
        }
        if (master && token.getRealmAccess() != null && token.getRealmAccess().getRoles() != null) {
            token.getRealmAccess().getRoles().removeAll(Set.of(AdminRoles.ADMIN, AdminRoles.CREATE_REALM));
        }
        token.getOtherClaims().put(CLAIM_AMR, List.of(AMR_APP_PASSWORD));
        token.getOtherClaims().put(AppPasswordCredentialModel.ID_KEY, appPasswordId);
    }

    /**
     * Merges {@code realm_access} and {@code resource_access} found among the token's other claims (where
     * lightweight access tokens carry them) into its typed role fields, as Keycloak's
     * {@code TokenUtil.convertTokenRolesFromOtherClaims} does since 26.7.1; our own copy keeps the jar running
     * on 26.7.0, which lacks that method. A claim that cannot be read as roles is dropped: the token is being
     * narrowed.
     */
    static void moveRolesFromOtherClaims(AccessToken token) {
        Map<String, Object> other = token.getOtherClaims();
        if (other == null) {
            return;
        }
        Object realmAccess = other.remove(REALM_ACCESS);
        if (realmAccess != null) {
            AccessToken.Access roles = toAccess(realmAccess);
            if (roles != null) {
                token.setRealmAccess(merge(token.getRealmAccess(), roles));
            }
        }
        Object resourceAccess = other.remove(RESOURCE_ACCESS);
        if (resourceAccess instanceof Map<?, ?> byClient) {
            Map<String, AccessToken.Access> merged = token.getResourceAccess() == null ? new HashMap<>()
                    : new HashMap<>(token.getResourceAccess());
            byClient.forEach((clientId, access) -> {
                AccessToken.Access roles = toAccess(access);
                if (roles != null) {
                    merged.put(String.valueOf(clientId), merge(merged.get(String.valueOf(clientId)), roles));
                }
            });
            token.setResourceAccess(merged);
        }
    }

    private static final String REALM_ACCESS = "realm_access";
    private static final String RESOURCE_ACCESS = "resource_access";

    private static AccessToken.Access toAccess(Object claim) {
        try {
            return JsonSerialization.mapper.convertValue(claim, AccessToken.Access.class);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    private static AccessToken.Access merge(AccessToken.Access into, AccessToken.Access from) {
        if (into == null || into.getRoles() == null) {
            return from;
        }
        if (from.getRoles() != null) {
            Set<String> roles = new HashSet<>(into.getRoles());
            roles.addAll(from.getRoles());
            into.roles(roles);
        }
        return into;
    }

    /** In the master realm, each realm also has an admin client named {@code <realm>-realm}. */
    private static boolean isKeycloakService(String clientId, boolean master) {
        return KEYCLOAK_SERVICE_CLIENTS.contains(clientId) || (master && clientId.endsWith(AdminRoles.APP_SUFFIX));
    }
}
