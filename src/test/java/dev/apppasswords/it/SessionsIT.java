package dev.apppasswords.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What app-password logins leave behind: with persistent sessions (the default) every grant stores a
 * user session and the token works at the userinfo endpoint (Dovecot's OAuth2 passdb needs that); with
 * the execution's "transient sessions" option nothing is stored, and userinfo refuses the token.
 */
class SessionsIT extends RealmIT {

    private static final int BURST = 25;

    @Override
    protected String realmPrefix() {
        return "sessions";
    }

    @Test
    void persistentSessionsByDefault() {
        String userId = realm.createUser("henry", "Henry-password-1");
        String password = realm.newAppPassword(realm.userToken("henry", "Henry-password-1", null), "Mail").get("password").asText();
        int before = sessionCount(userId);

        String accessToken = null;
        for (int i = 0; i < BURST; i++) {
            Http.Response grant = realm.grant("sync", "henry", password, null);
            assertEquals(200, grant.status());
            accessToken = grant.json().get("access_token").asText();
        }
        Http.Response userinfo = keycloak.http().get(realm.url("/protocol/openid-connect/userinfo"), Http.bearer(accessToken));
        assertEquals(200, userinfo.status(), userinfo.body());
        assertEquals("henry", userinfo.json().get("preferred_username").asText());

        int after = sessionCount(userId);
        assertEquals(BURST, after - before, "each app-password grant stores one user session");
        System.out.printf("[sessions] persistent: %d grants left %d user sessions%n", BURST, after - before);
    }

    @Test
    void transientSessionsLeaveNothingBehindButUserinfoRefusesTheToken() {
        String userId = realm.createUser("iris", "Iris-password-1");
        String password = realm.newAppPassword(realm.userToken("iris", "Iris-password-1", null), "Mail").get("password").asText();
        int before = sessionCount(userId);

        String accessToken = null;
        for (int i = 0; i < BURST; i++) {
            Http.Response grant = realm.grant("sync-transient", "iris", password, null);
            assertEquals(200, grant.status());
            accessToken = grant.json().get("access_token").asText();
        }
        assertEquals(before, sessionCount(userId), "transient grants must not store user sessions");
        System.out.printf("[sessions] transient: %d grants left %d user sessions%n", BURST, sessionCount(userId) - before);

        Http.Response userinfo = keycloak.http().get(realm.url("/protocol/openid-connect/userinfo"), Http.bearer(accessToken));
        assertEquals(401, userinfo.status(), "documented trade-off: userinfo needs a stored session");
        assertTrue(userinfo.header("WWW-Authenticate") != null);
    }

    private int sessionCount(String userId) {
        JsonNode sessions = keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json();
        return sessions.size();
    }
}
