package dev.apppasswords.token;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.UserSessionProvider;
import org.keycloak.representations.AccessToken;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The token rules of an app password: narrowing strips the audiences and roles of Keycloak's account, admin and
 * broker clients (in the master realm also every realm's admin client and the admin roles) and says how the token
 * was obtained; lightweight tokens' role claims are moved into the typed fields first, where narrowing filters them;
 * and a token is known as an app password's by its claim, or else by its user session's note.
 */
class AppPasswordTokensTest {

    private static RealmModel realmNamed(String name) {
        RealmModel realm = mock(RealmModel.class);
        when(realm.getName()).thenReturn(name);
        return realm;
    }

    private static AccessToken tokenFor(String... audiences) {
        AccessToken token = new AccessToken();
        token.audience(audiences);
        Map<String, AccessToken.Access> resourceAccess = new HashMap<>();
        for (String audience : audiences) {
            resourceAccess.put(audience, new AccessToken.Access().addRole("some-role"));
        }
        token.setResourceAccess(resourceAccess);
        token.setRealmAccess(new AccessToken.Access().roles(new HashSet<>(Set.of("admin", "create-realm", "offline_access"))));
        return token;
    }

    @Test
    void givenAnAppPasswordTokenThenKeycloaksOwnServicesAreStrippedAndTheAppsKept() {
        AccessToken token = tokenFor("mail", "account", "realm-management", "broker", "calendar");

        AppPasswordTokens.narrow(realmNamed("acme"), token, "ap-1");

        assertArrayEquals(new String[] {"mail", "calendar"}, token.getAudience());
        assertEquals(Set.of("mail", "calendar"), token.getResourceAccess().keySet());
        assertEquals(Set.of("admin", "create-realm", "offline_access"), token.getRealmAccess().getRoles(),
                "outside the master realm these are ordinary role names");
    }

    @Test
    void givenOnlyKeycloaksServicesAsAudiencesThenTheTokenHasNoAudienceLeft() {
        AccessToken token = tokenFor("account", "security-admin-console", "admin-cli");

        AppPasswordTokens.narrow(realmNamed("acme"), token, "ap-1");

        assertNull(token.getAudience());
        assertTrue(token.getResourceAccess().isEmpty());
    }

    @Test
    void givenTheMasterRealmThenRealmAdminClientsAndAdminRolesAreStrippedToo() {
        AccessToken token = tokenFor("mail", "acme-realm", "master-realm");

        AppPasswordTokens.narrow(realmNamed("master"), token, "ap-1");

        assertArrayEquals(new String[] {"mail"}, token.getAudience());
        assertEquals(Set.of("mail"), token.getResourceAccess().keySet());
        assertEquals(Set.of("offline_access"), token.getRealmAccess().getRoles());
    }

    @Test
    void givenAnotherRealmThenAClientWhoseNameEndsInRealmIsKept() {
        AccessToken token = tokenFor("mail", "acme-realm");

        AppPasswordTokens.narrow(realmNamed("acme"), token, "ap-1");

        assertArrayEquals(new String[] {"mail", "acme-realm"}, token.getAudience());
    }

    @Test
    void givenALightweightTokenThenTheRolesAmongItsOtherClaimsAreNarrowedToo() {
        AccessToken token = new AccessToken();
        token.getOtherClaims().put("resource_access", Map.of(
                "account", Map.of("roles", List.of("manage-account")),
                "mail", Map.of("roles", List.of("reader"))));

        AppPasswordTokens.narrow(realmNamed("acme"), token, "ap-1");

        assertEquals(Set.of("mail"), token.getResourceAccess().keySet());
        assertFalse(token.getOtherClaims().containsKey("resource_access"));
    }

    @Test
    void givenANarrowedTokenThenItSaysItCameFromWhichAppPassword() {
        AccessToken token = tokenFor("mail");

        AppPasswordTokens.narrow(realmNamed("acme"), token, "ap-1");

        assertEquals(List.of("app-password"), token.getOtherClaims().get(AppPasswordTokens.CLAIM_AMR));
        assertEquals("ap-1", token.getOtherClaims().get(AppPasswordCredentialModel.ID_KEY));
    }

    private static KeycloakSession sessionWith(RealmModel realm, UserSessionProvider sessions) {
        KeycloakSession session = mock(KeycloakSession.class);
        KeycloakContext context = mock(KeycloakContext.class);
        when(session.getContext()).thenReturn(context);
        when(context.getRealm()).thenReturn(realm);
        when(session.sessions()).thenReturn(sessions);
        return session;
    }

    private static UserSessionModel signedInBy(String appPasswordId) {
        UserSessionModel userSession = mock(UserSessionModel.class);
        when(userSession.getNote(AppPasswordCredentialModel.ID_KEY)).thenReturn(appPasswordId);
        return userSession;
    }

    @Test
    void givenTheAppPasswordClaimThenTheTokenIsAnAppPasswordsWithoutLookingUpItsSession() {
        UserSessionProvider sessions = mock(UserSessionProvider.class);
        AccessToken token = new AccessToken();
        token.getOtherClaims().put(AppPasswordCredentialModel.ID_KEY, "ap-1");

        assertTrue(AppPasswordTokens.signedInByAppPassword(sessionWith(realmNamed("acme"), sessions), token));
        verifyNoInteractions(sessions);
    }

    @Test
    void givenAnOlderTokenWithoutTheClaimThenItsOnlineOrOfflineSessionsNoteDecides() {
        RealmModel realm = realmNamed("acme");
        UserSessionProvider sessions = mock(UserSessionProvider.class);
        KeycloakSession session = sessionWith(realm, sessions);
        AccessToken token = new AccessToken();
        token.setSessionId("s-1");

        UserSessionModel passwordLogin = signedInBy(null);
        UserSessionModel appPasswordLogin = signedInBy("ap-1");

        when(sessions.getUserSession(realm, "s-1")).thenReturn(passwordLogin);
        assertFalse(AppPasswordTokens.signedInByAppPassword(session, token), "a password login's session");

        when(sessions.getUserSession(realm, "s-1")).thenReturn(appPasswordLogin);
        assertTrue(AppPasswordTokens.signedInByAppPassword(session, token));

        when(sessions.getUserSession(realm, "s-1")).thenReturn(null);
        when(sessions.getOfflineUserSession(realm, "s-1")).thenReturn(appPasswordLogin);
        assertTrue(AppPasswordTokens.signedInByAppPassword(session, token), "an offline session");
    }

    @Test
    void givenNoClaimAndNoSessionThenTheTokenIsNotAnAppPasswords() {
        RealmModel realm = realmNamed("acme");
        AccessToken token = new AccessToken();

        assertFalse(AppPasswordTokens.signedInByAppPassword(sessionWith(realm, mock(UserSessionProvider.class)), token));
        token.setSessionId("gone");
        assertFalse(AppPasswordTokens.signedInByAppPassword(sessionWith(realm, mock(UserSessionProvider.class)), token));
    }

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
