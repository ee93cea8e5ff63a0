package dev.apppasswords.it;


import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What app-password logins leave behind, and what deleting an app password ends. By default a burst of
 * logins with one app password shares one stored user session (the tokens work at the userinfo endpoint,
 * which Dovecot's OAuth2 passdb needs); with "One session per app password" off every login stores its
 * own; with "Transient sessions" nothing is stored and userinfo refuses the token.
 */
class SessionsIT extends RealmIT {

    private static final int BURST = 25;

    @Override
    protected String realmPrefix() {
        return "sessions";
    }

    @Test
    void aBurstOfLoginsWithOneAppPasswordSharesOneSession() {
        String userId = realm.createUser("henry", "Henry-password-1");
        String token = realm.userToken("henry", "Henry-password-1", null);
        String mail = realm.newAppPassword(token, "Mail").get("password").asText();
        String phone = realm.newAppPassword(token, "Phone").get("password").asText();
        int before = sessionCount(userId);

        String firstToken = null;
        String lastToken = null;
        for (int i = 0; i < BURST; i++) {
            Http.Response grant = realm.grant("sync", "henry", mail, null);
            assertEquals(200, grant.status(), grant.body());
            lastToken = grant.json().get("access_token").asText();
            firstToken = firstToken == null ? lastToken : firstToken;
        }
        assertEquals(200, userinfo(firstToken).status(), "the first login's token still works");
        Http.Response userinfo = userinfo(lastToken);
        assertEquals(200, userinfo.status(), userinfo.body());
        assertEquals("henry", userinfo.json().get("preferred_username").asText());
        assertEquals(1, sessionCount(userId) - before, "one session for the app password");

        assertEquals(200, realm.grant("mail", "henry", mail, null).status());
        assertEquals(1, sessionCount(userId) - before, "another client joins the same session");
        assertEquals(200, realm.grant("sync", "henry", phone, null).status());
        assertEquals(2, sessionCount(userId) - before, "another app password, another device, another session");
        System.out.printf("[sessions] shared: %d grants with one app password left 1 user session%n", BURST);
    }

    @Test
    void aSessionPerLoginWhenSharingIsOff() {
        String userId = realm.createUser("gina", "Gina-password-1");
        String password = realm.newAppPasswordOf("gina", "Gina-password-1", "Mail");
        int before = sessionCount(userId);
        for (int i = 0; i < BURST; i++) {
            assertEquals(200, realm.grant("sync-per-login", "gina", password, null).status());
        }
        assertEquals(BURST, sessionCount(userId) - before, "each grant stores one user session");
        System.out.printf("[sessions] per login: %d grants left %d user sessions%n", BURST, sessionCount(userId) - before);
    }

    @Test
    void transientSessionsLeaveNothingBehindAndUserinfoStillWorks() {
        String userId = realm.createUser("iris", "Iris-password-1");
        String password = realm.newAppPasswordOf("iris", "Iris-password-1", "Mail");
        int before = sessionCount(userId);

        Http.Response grant = null;
        for (int i = 0; i < BURST; i++) {
            grant = realm.grant("mail-transient", "iris", password, null);
            assertEquals(200, grant.status(), grant.body());
        }
        assertEquals(before, sessionCount(userId), "transient grants must not store user sessions");
        System.out.printf("[sessions] transient: %d grants left %d user sessions%n", BURST, sessionCount(userId) - before);

        String accessToken = grant.json().get("access_token").asText();
        assertTrue(TestRealm.claims(accessToken).get("sid") == null, "no session id: the session was never stored");
        assertTrue(grant.json().get("refresh_token") == null, "the mail-transient client issues no refresh token");
        Http.Response userinfo = userinfo(accessToken);
        assertEquals(200, userinfo.status(), "Dovecot's userinfo works: " + userinfo.body());
        assertEquals("iris", userinfo.json().get("preferred_username").asText());

        Http.Response withRefresh = realm.grant("sync-transient", "iris", password, null);
        assertEquals(400, realm.refresh("sync-transient", withRefresh).status(), "a client that still issues refresh tokens: they cannot be used");
    }

    /** Deleting an app password through this extension's REST resource ends what it signed in. */
    @Test
    void deletingAnAppPasswordSignsOutItsSessions() {
        String userId = realm.createUser("jack", "Jack-password-1");
        String token = realm.userToken("jack", "Jack-password-1", null);
        JsonNode doomed = realm.newAppPassword(token, "Old phone");
        String kept = realm.newAppPassword(token, "Laptop").get("password").asText();
        Http.Response doomedGrant = realm.grant("sync", "jack", doomed.get("password").asText(), null);
        Http.Response offlineGrant = offlineGrant("jack", doomed.get("password").asText());
        Http.Response keptGrant = realm.grant("sync", "jack", kept, null);
        assertEquals(200, offlineGrant.status(), offlineGrant.body());
        assertEquals(200, refresh(doomedGrant).status());

        assertEquals(204, realm.deleteAppPassword(token, doomed.get("id").asText()).status());

        Http.Response refreshed = refresh(doomedGrant);
        assertEquals(400, refreshed.status(), "its refresh token is dead: " + refreshed.body());
        assertEquals(401, userinfo(doomedGrant.json().get("access_token").asText()).status(), "its session is gone");
        assertEquals(400, refresh(offlineGrant).status(), "its offline token is dead too");
        assertEquals(200, refresh(keptGrant).status(), "the other app password's session lives on");
        assertEquals(200, userinfo(keptGrant.json().get("access_token").asText()).status());
        assertTrue(sessionCount(userId) >= 1);
    }

    /** The same when an admin removes it on the user's Credentials tab (Keycloak's admin API). */
    @Test
    void anAdminRemovingAnAppPasswordSignsOutItsSessions() {
        String userId = realm.createUser("kate", "Kate-password-1");
        JsonNode created = realm.newAppPassword(realm.userToken("kate", "Kate-password-1", null), "Tablet");
        Http.Response grant = realm.grant("sync", "kate", created.get("password").asText(), null);
        assertEquals(200, refresh(grant).status());

        String path = "/" + realm.name() + "/users/" + userId + "/credentials/" + created.get("id").asText();
        assertEquals(204, keycloak.adminDelete(path).status());

        assertEquals(400, refresh(grant).status(), "removed by an admin: its refresh token is dead");
        assertEquals(401, userinfo(grant.json().get("access_token").asText()).status());
    }

    /** An offline token never gets a shared session: Keycloak drops the online session after issuing one. */
    @Test
    void offlineTokensDoNotEndTheSharedSession() {
        realm.createUser("liam", "Liam-password-1");
        String password = realm.newAppPasswordOf("liam", "Liam-password-1", "Mail");
        Http.Response online = realm.grant("sync", "liam", password, null);
        Http.Response offline = offlineGrant("liam", password);
        assertEquals(200, offline.status(), offline.body());
        assertNotEquals(online.json().get("session_state").asText(), offline.json().get("session_state").asText());
        assertEquals(200, userinfo(online.json().get("access_token").asText()).status(), "the shared session survives");
        assertEquals(200, refresh(offline).status());
    }

    /** Nor does a client that has offline_access as a default scope (every grant of it is an offline one). */
    @Test
    void aClientThatAlwaysGetsOfflineTokensDoesNotEndTheSharedSession() {
        realm.createUser("mia", "Mia-password-1");
        String password = realm.newAppPasswordOf("mia", "Mia-password-1", "Mail");
        Http.Response online = realm.grant("sync", "mia", password, null);
        Http.Response offline = realm.grant("sync-offline", "mia", password, null);
        assertEquals(200, offline.status(), offline.body());
        assertEquals("Offline", claims(offline.json().get("refresh_token").asText()).get("typ").asText(),
                "the client's default scopes make it an offline token");
        assertEquals(200, refresh(online).status(), "the shared online session survives the offline grant");
    }

    private static JsonNode claims(String jwt) {
        return TestRealm.claims(jwt);
    }

    private Http.Response offlineGrant(String username, String password) {
        return realm.offlineGrant("sync", username, password);
    }

    private Http.Response refresh(Http.Response grant) {
        return realm.refresh("sync", grant);
    }

    private Http.Response userinfo(String accessToken) {
        return realm.userinfo(accessToken);
    }

    private int sessionCount(String userId) {
        JsonNode sessions = keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json();
        return sessions.size();
    }
}
