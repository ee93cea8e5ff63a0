package dev.apppasswords.service;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;

/**
 * Who may have app passwords in a realm (part of {@link AppPasswordPolicy}): everyone by default, or only
 * members of named groups, holders of a named role, and optionally only users with a second factor. The
 * same rule refuses creation and stops existing app passwords from working, deleting nothing.
 *
 * @param groups              group paths; empty for any group
 * @param role                a realm role, or {@code client-id.role}; null for any role
 * @param requireSecondFactor only users with OTP or a security key
 */
public record Eligibility(List<String> groups, String role, boolean requireSecondFactor) {

    private static final Set<String> SECOND_FACTORS = Set.of(OTPCredentialModel.TYPE,
            WebAuthnCredentialModel.TYPE_TWOFACTOR, WebAuthnCredentialModel.TYPE_PASSWORDLESS);

    /** Null when the user may have app passwords; otherwise why not, in words for the user. */
    public String refusal(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!groups.isEmpty() && groups.stream()
                .map(path -> KeycloakModelUtils.findGroupByPath(session, realm, path.startsWith("/") ? path : "/" + path))
                .filter(Objects::nonNull)
                .noneMatch(group -> isMember(user, group))) {
            return "App passwords in this realm are only for members of " + String.join(", ", groups) + ". Ask your administrator.";
        }
        if (role != null) {
            RoleModel required = KeycloakModelUtils.getRoleFromString(realm, role);
            if (required == null || !user.hasRole(required)) {
                return "App passwords in this realm are only for users with the role " + role + ". Ask your administrator.";
            }
        }
        if (requireSecondFactor && user.credentialManager().getStoredCredentialsStream()
                .noneMatch(credential -> SECOND_FACTORS.contains(credential.getType()))) {
            return "Set up a second factor (an authenticator app or a security key) before you use app passwords.";
        }
        return null;
    }

    private static boolean isMember(UserModel user, GroupModel group) {
        return RoleUtils.isMember(user.getGroupsStream(), group);
    }
}
