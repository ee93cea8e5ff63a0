package dev.apppasswords.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Await;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /realms/{realm}/app-passwords}: the user's own REST resource. */
class RestApiIT extends RealmIT {

    @Override
    protected String realmPrefix() {
        return "rest";
    }

    @Test
    void createListUseAndDelete() {
        String user = "dora";
        realm.createUser(user, "Dora-password-1");
        String token = realm.userToken(user, "Dora-password-1", null);
        assertEquals("[]", realm.listAppPasswords(token).body());

        Http.Response created = realm.createAppPassword(token, Map.of("name", "  Phone  "));
        assertEquals(201, created.status(), created.body());
        assertEquals("no-store", created.header("Cache-Control"));
        JsonNode body = created.json();
        String id = body.get("id").asText();
        String password = body.get("password").asText();
        assertEquals("Phone", body.get("name").asText());
        assertTrue(password.matches("([a-z]{4} ){5}[a-z]{4}"), password);
        assertTrue(Math.abs(body.get("createdAt").asLong() - System.currentTimeMillis()) < 60_000);

        Http.Response listed = realm.listAppPasswords(token);
        assertEquals(200, listed.status());
        JsonNode entry = listed.json().get(0);
        assertEquals(id, entry.get("id").asText());
        assertEquals("Phone", entry.get("name").asText());
        assertTrue(entry.has("lastUsedAt") && entry.get("lastUsedAt").isNull(), entry.toString());
        assertTrue(entry.get("lastUsedIp").isNull() && entry.get("lastUsedClientId").isNull());
        assertFalse(listed.body().contains(password.substring(0, 9)), "the list must never carry the secret");
        assertFalse(listed.body().contains("password\""), listed.body());

        assertEquals(200, realm.grant("sync", user, password, null).status());
        JsonNode used = realm.listAppPasswords(token).json().get(0);
        assertEquals("sync", used.get("lastUsedClientId").asText());
        assertEquals("127.0.0.1", used.get("lastUsedIp").asText());
        assertTrue(Math.abs(used.get("lastUsedAt").asLong() - System.currentTimeMillis()) < 60_000);

        assertEquals(204, realm.deleteAppPassword(token, id).status());
        assertEquals(400, realm.grant("sync", user, password, null).status(), "a deleted app password must stop working at once");
        assertEquals("[]", realm.listAppPasswords(token).body());
        assertEquals(404, realm.deleteAppPassword(token, id).status());
    }

    /** {@code DELETE /app-passwords}: every app password of the caller at once, and their sessions with them. */
    @Test
    void revokeAllRemovesEveryAppPasswordAndEndsTheirSessions() {
        realm.createUser("vera", "Vera-password-1");
        String token = realm.userToken("vera", "Vera-password-1", null);
        String phone = realm.newAppPassword(token, "Phone").get("password").asText();
        String laptop = realm.newAppPassword(token, "Laptop").get("password").asText();
        Http.Response phoneGrant = realm.grant("sync", "vera", phone, null);
        assertEquals(200, phoneGrant.status(), phoneGrant.body());
        String appPasswordToken = phoneGrant.json().get("access_token").asText();
        assertEquals(403, keycloak.http().send("DELETE", realm.url("/app-passwords"), Http.bearer(appPasswordToken), null, null).status(),
                "a token from an app password cannot revoke");

        Http.Response revoked = keycloak.http().send("DELETE", realm.url("/app-passwords"), Http.bearer(token), null, null);
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals(2, revoked.json().get("revoked").asInt(), revoked.body());
        assertEquals(0, realm.listAppPasswords(token).json().size());
        assertEquals(400, realm.grant("sync", "vera", phone, null).status());
        assertEquals(400, realm.grant("sync", "vera", laptop, null).status());
        assertEquals(400, realm.refresh("sync", phoneGrant).status(), "its session ended");
        assertEquals(0, keycloak.http().send("DELETE", realm.url("/app-passwords"), Http.bearer(token), null, null).json()
                .get("revoked").asInt(), "nothing left: 0");
    }

    @Test
    void appPasswordLimitedToClientsWorksOnlyThere() {
        realm.createUser("nora", "Nora-password-1");
        String token = realm.userToken("nora", "Nora-password-1", null);
        Http.Response created = realm.createAppPassword(token, Map.of("name", "Sync tool", "clients", List.of("sync")));
        assertEquals(201, created.status(), created.body());
        assertEquals("[\"sync\"]", created.json().get("clients").toString());
        String password = created.json().get("password").asText();

        assertEquals(200, realm.grant("sync", "nora", password, null).status());
        assertEquals(400, realm.grant("mail", "nora", password, null).status(), "limited to sync");
        String basic = TestRealm.basic("nora", password);
        assertEquals(200, keycloak.http().get(realm.url("/app-passwords/forward-auth?client_id=sync"), Map.of("Authorization", basic)).status());
        assertEquals(401, keycloak.http().get(realm.url("/app-passwords/forward-auth"), Map.of("Authorization", basic)).status(),
                "a limited app password needs the proxy to name its client");
        assertEquals("[\"sync\"]", realm.listAppPasswords(token).json().get(0).get("clients").toString());

        Http.Response unknown = realm.createAppPassword(token, Map.of("name", "Bad", "clients", List.of("no-such-client")));
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("errorMessage").asText().contains("no-such-client"));
        assertEquals(400, realm.createAppPassword(token, Map.of("name", "Bad", "clients", "sync")).status());
        assertEquals(1, realm.listAppPasswords(token).json().size());
    }

    @Test
    void secretIsNeverStoredInClear() {
        String token = realm.userToken();
        JsonNode created = realm.newAppPassword(token, "Storage check");
        String password = created.get("password").asText();
        Http.Response credentials = keycloak.adminGet("/" + realm.name() + "/users/" + realm.userId(TestRealm.USER) + "/credentials");
        assertTrue(credentials.body().contains("app-password"), credentials.body());
        assertFalse(credentials.body().contains(password.replace(" ", "")));
        assertFalse(credentials.body().contains(password.substring(0, 14)));
        assertEquals(204, realm.deleteAppPassword(token, created.get("id").asText()).status());
    }

    @Test
    void limitOf40AndConcurrentCreationNeverExceedsIt() throws Exception {
        String user = "erin";
        realm.createUser(user, "Erin-password-1");
        String token = realm.userToken(user, "Erin-password-1", null);
        for (int i = 1; i <= 36; i++) {
            assertEquals(201, realm.createAppPassword(token, Map.of("name", "Device " + i)).status());
        }
        // 12 requests race for the last 4 places.
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "Racer " + i;
            results.add(pool.submit((Callable<Integer>) () -> realm.createAppPassword(token, Map.of("name", name)).status()));
        }
        int created = 0;
        int refused = 0;
        for (Future<Integer> result : results) {
            int status = result.get();
            if (status == 201) {
                created++;
            } else if (status == 409) {
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(4, created, "created");
        assertEquals(8, refused, "refused");
        assertEquals(40, realm.listAppPasswords(token).json().size());

        Http.Response over = realm.createAppPassword(token, Map.of("name", "Number 41"));
        assertEquals(409, over.status());
        String message = over.json().get("errorMessage").asText();
        assertTrue(message.contains("40") && message.toLowerCase().contains("delete"), message);

        String firstId = realm.listAppPasswords(token).json().get(0).get("id").asText();
        assertEquals(204, realm.deleteAppPassword(token, firstId).status());
        assertEquals(201, realm.createAppPassword(token, Map.of("name", "Number 41")).status());
    }

    @Test
    void badNamesAreRefusedWithAMessageAndChangeNothing() {
        String user = "frank";
        realm.createUser(user, "Frank-password-1");
        String token = realm.userToken(user, "Frank-password-1", null);
        Object[] bad = {Map.of("name", ""), Map.of("name", "   "), Map.of("name", "x".repeat(256)),
                Map.of("name", "tab\tname"), Map.of("name", 42), Map.of(), "not json", "[1,2]", "",
                // 128 emoji are 256 UTF-16 units, more than the database column holds (was a 500)
                Map.of("name", "📱".repeat(128)), Map.of("name", "line\u2028separator"), Map.of("name", "para\u2029separator"),
                Map.of("name", "\u3164"), Map.of("name", "blank\u3164filler")};
        for (Object body : bad) {
            Http.Response response = realm.createAppPassword(token, body);
            assertEquals(400, response.status(), body + " -> " + response.body());
            assertNotNull(response.json().get("errorMessage").asText());
            assertFalse(response.body().contains("Exception"), response.body());
        }
        assertEquals(201, realm.createAppPassword(token, Map.of("name", "x".repeat(255))).status());
        assertEquals(201, realm.createAppPassword(token, Map.of("name", "📱".repeat(127))).status(), "254 UTF-16 units fit");
        assertEquals(201, realm.createAppPassword(token, Map.of("name", "Laptop")).status());
        Http.Response duplicate = realm.createAppPassword(token, Map.of("name", "laptop"));
        assertEquals(409, duplicate.status());
        assertEquals(3, realm.listAppPasswords(token).json().size());
    }

    @Test
    void cannotDeleteSomeoneElsesAppPasswordOrAnotherCredential() {
        realm.createUser("gina", "Gina-password-1");
        String gina = realm.userToken("gina", "Gina-password-1", null);
        String alice = realm.userToken();
        String alicesId = realm.newAppPassword(alice, "Alice's tablet").get("id").asText();
        assertEquals(404, realm.deleteAppPassword(gina, alicesId).status());

        JsonNode credentials = keycloak.adminGet("/" + realm.name() + "/users/" + realm.userId("gina") + "/credentials").json();
        String passwordCredentialId = credentials.get(0).get("id").asText();
        assertEquals(404, realm.deleteAppPassword(gina, passwordCredentialId).status());
        assertEquals(200, realm.grant("mail", "gina", "Gina-password-1", null).status(), "the password must survive");
        assertEquals(404, realm.deleteAppPassword(gina, "no-such-id").status());
        assertEquals(204, realm.deleteAppPassword(alice, alicesId).status());
    }

    @Test
    void requestsWithoutAUsableTokenAreRefused() throws Exception {
        Http http = keycloak.http();
        Http.Response none = http.get(realm.url("/app-passwords"), Map.of());
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
        assertNotNull(none.json().get("errorMessage"));
        assertEquals(401, http.json("POST", realm.url("/app-passwords"), Map.of(), Map.of("name", "x")).status());
        assertEquals(401, http.get(realm.url("/app-passwords"), Http.bearer("garbage")).status());

        String token = realm.userToken();
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertEquals(401, http.get(realm.url("/app-passwords"), Http.bearer(tampered)).status());

        TestRealm other = TestRealm.create(keycloak, "other");
        try {
            assertEquals(401, http.get(realm.url("/app-passwords"), Http.bearer(other.userToken())).status());
        } finally {
            other.delete();
        }

        Http.Response serviceToken = http.form(realm.url("/protocol/openid-connect/token"), Map.of(),
                Http.params("grant_type", "client_credentials", "client_id", "scripts", "client_secret", "scripts-secret"));
        assertEquals(200, serviceToken.status());
        Http.Response service = http.get(realm.url("/app-passwords"), Http.bearer(serviceToken.json().get("access_token").asText()));
        assertTrue(service.status() == 401 || service.status() == 403, service.toString());
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        TestRealm shortLived = TestRealm.create(keycloak, "expiry");
        try {
            assertEquals(204, keycloak.adminJson("PUT", "/" + shortLived.name(), Map.of("accessTokenLifespan", 2)).status());
            String token = shortLived.userToken();
            assertEquals(200, shortLived.listAppPasswords(token).status());
            Http.Response expired = Await.until("the 2 s token to expire", 15, () -> shortLived.listAppPasswords(token),
                    answer -> answer.status() != 200);
            assertEquals(401, expired.status(), expired.body());
        } finally {
            shortLived.delete();
        }
    }

    @Test
    void corsPreflightAndHeadersForTheAccountConsole() {
        String origin = keycloak.baseUrl();
        Http.Response preflight = keycloak.http().send("OPTIONS", realm.url("/app-passwords"),
                Map.of("Origin", origin, "Access-Control-Request-Method", "POST"), null, null);
        assertEquals(200, preflight.status(), preflight.toString());
        assertTrue(preflight.header("Access-Control-Allow-Methods").contains("DELETE"), preflight.headers().toString());

        Http.Response preflightDelete = keycloak.http().send("OPTIONS", realm.url("/app-passwords/some-id"),
                Map.of("Origin", origin, "Access-Control-Request-Method", "DELETE"), null, null);
        assertEquals(200, preflightDelete.status());
    }
}
