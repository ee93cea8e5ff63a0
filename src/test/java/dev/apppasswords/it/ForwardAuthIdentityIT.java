package dev.apppasswords.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who forward-auth says a request belongs to, tried as an attacker would: look-alike non-ASCII usernames,
 * an email address nobody verified, a user who has not finished setting up the account, a client that does
 * not take app passwords, a disabled realm.
 */
class ForwardAuthIdentityIT extends RealmIT {

    @Override
    protected String realmPrefix() {
        return "identity";
    }

    private Http.Response forwardAuth(TestRealm in, String username, String password, String query) {
        return keycloak.http().get(in.url("/app-passwords/forward-auth") + query, Map.of("Authorization", TestRealm.basic(username, password)));
    }

    private int users;

    /**
     * Creates a user whose email is not verified (anyone can type any address into a profile), signs in and
     * makes an app password; returns the secret.
     */
    private String unverifiedUserWithAppPassword(String username) {
        Http.Response created = keycloak.adminJson("POST", "/" + realm.name() + "/users", Map.of(
                "username", username, "enabled", true, "email", "someone-else" + (++users) + "@example.org",
                "emailVerified", false, "firstName", "Test", "lastName", "User",
                "credentials", List.of(Map.of("type", "password", "value", "Pw-" + username, "temporary", false))));
        assertEquals(201, created.status(), created.body());
        return realm.newAppPasswordOf(username, "Pw-" + username, "Files");
    }

    @Test
    void lookAlikeNonAsciiUsernamesArriveAsDistinctAsciiIdentities() {
        Http.Response lukasz = forwardAuth(realm, "łukasz", unverifiedUserWithAppPassword("łukasz"), "");
        Http.Response nukasz = forwardAuth(realm, "ńukasz", unverifiedUserWithAppPassword("ńukasz"), "");
        Http.Response jurgen = forwardAuth(realm, "jürgen", unverifiedUserWithAppPassword("jürgen"), "");
        assertEquals(200, lukasz.status());
        assertEquals(200, nukasz.status());
        assertEquals(200, jurgen.status());
        assertEquals("%C5%82ukasz", lukasz.header("X-Auth-Username"));
        assertEquals("%C5%84ukasz", nukasz.header("X-Auth-Username"));
        assertEquals("j%C3%BCrgen", jurgen.header("X-Auth-Username"));
        assertNotEquals(lukasz.header("X-Auth-User-Id"), nukasz.header("X-Auth-User-Id"));
        for (Http.Response response : List.of(lukasz, nukasz, jurgen)) {
            assertTrue(response.header("X-Auth-Username").chars().allMatch(c -> c > 32 && c < 127), response.header("X-Auth-Username"));
            assertEquals("", response.header("X-Auth-Email"), "an unverified email is never passed on: the header is sent empty");
        }
        Http.Response alice = forwardAuth(realm, TestRealm.USER, realm.newAppPassword(realm.userToken(), "Proxy").get("password").asText(), "");
        assertEquals("alice@example.org", alice.header("X-Auth-Email"), "a verified one is");
    }

    @Test
    void aUserWithPendingRequiredActionsIsRefusedLikeAtTheTokenEndpoint() {
        String userId = realm.createUser("nina", "Nina-password-1");
        String password = realm.newAppPasswordOf("nina", "Nina-password-1", "Files");
        assertEquals(200, forwardAuth(realm, "nina", password, "").status());
        JsonNode user = keycloak.adminGet("/" + realm.name() + "/users/" + userId).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).putArray("requiredActions").add("UPDATE_PASSWORD");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId, user).status());

        Http.Response refused = forwardAuth(realm, "nina", password, "");
        assertEquals(403, refused.status(), refused.body());
        assertNull(refused.header("X-Auth-User-Id"));
        Http.Response grant = realm.grant("sync", "nina", password, null);
        assertEquals(400, grant.status());
        assertTrue(grant.body().contains("not fully set up"), grant.body());
    }

    @Test
    void aClientWhoseFlowsTakeNoAppPasswordsAdmitsNobody() {
        realm.createUser("otto", "Otto-password-1");
        String password = realm.newAppPasswordOf("otto", "Otto-password-1", "Any");
        assertEquals(200, forwardAuth(realm, "otto", password, "?client_id=mail").status());
        assertEquals(200, forwardAuth(realm, "otto", password, "?client_id=cli").status(), "its browser flow takes HTTP Basic");
        assertEquals(401, forwardAuth(realm, "otto", password, "?client_id=web").status(), "the default browser flow takes none");
        assertEquals(401, forwardAuth(realm, "otto", password, "?client_id=scripts").status(), "the default direct grant takes none");
    }

    @Test
    void aDisabledRealmLetsNobodyInAndCreatesNothing() {
        TestRealm other = TestRealm.create(keycloak, "disabled");
        try {
            String token = other.userToken();
            String password = other.newAppPassword(token, "Phone").get("password").asText();
            assertEquals(200, forwardAuth(other, TestRealm.USER, password, "").status());

            assertEquals(204, keycloak.adminJson("PUT", "/" + other.name(), Map.of("enabled", false)).status());
            Http.Response check = forwardAuth(other, TestRealm.USER, password, "");
            assertEquals(403, check.status(), check.body());
            assertNull(check.header("X-Auth-User-Id"));
            Http.Response create = other.createAppPassword(token, Map.of("name", "While disabled"));
            assertEquals(403, create.status(), create.body());
            assertEquals(403, other.listAppPasswords(token).status());
            assertTrue(other.grant("mail", password).status() >= 400, "the token endpoint refuses too");

            assertEquals(204, keycloak.adminJson("PUT", "/" + other.name(), Map.of("enabled", true)).status());
            assertEquals(1, other.listAppPasswords(other.userToken()).json().size(), "nothing was created while disabled");
        } finally {
            other.delete();
        }
    }
}
