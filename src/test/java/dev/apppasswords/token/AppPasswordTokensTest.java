package dev.apppasswords.token;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Lightweight tokens' role claims are moved into the typed fields, where narrowing filters them. */
class AppPasswordTokensTest {

    @Test
    void rolesAmongTheOtherClaimsAreMergedIntoTheTypedFields() {
        AccessToken token = new AccessToken();
        token.setRealmAccess(new AccessToken.Access().addRole("typed"));
        token.getOtherClaims().put("realm_access", Map.of("roles", List.of("offline_access")));
        token.getOtherClaims().put("resource_access", Map.of(
                "account", Map.of("roles", List.of("manage-account")),
                "mail", Map.of("roles", List.of("reader"))));

        AppPasswordTokens.moveRolesFromOtherClaims(token);

        assertEquals(Set.of("typed", "offline_access"), token.getRealmAccess().getRoles());
        assertEquals(Set.of("manage-account"), token.getResourceAccess("account").getRoles());
        assertEquals(Set.of("reader"), token.getResourceAccess("mail").getRoles());
        assertFalse(token.getOtherClaims().containsKey("realm_access"));
        assertFalse(token.getOtherClaims().containsKey("resource_access"));
    }

    @Test
    void unreadableRoleClaimsAreDropped() {
        AccessToken token = new AccessToken();
        token.getOtherClaims().put("resource_access", "not roles");
        token.getOtherClaims().put("realm_access", List.of("also", "not"));

        AppPasswordTokens.moveRolesFromOtherClaims(token);

        assertFalse(token.getOtherClaims().containsKey("resource_access"));
        assertFalse(token.getOtherClaims().containsKey("realm_access"));
    }
}
