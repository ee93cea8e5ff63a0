package dev.apppasswords.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin REST API {@code /admin/realms/{realm}/app-passwords}, with Keycloak's own admin permissions:
 * view-users reads, manage-users revokes; plain users, admins of another realm and anonymous callers are
 * refused; every change is an admin event that names app passwords and never reveals a secret.
 */
class AdminApiIT extends RealmIT {

    private String viewerToken;
    private String managerToken;

    @Override
    protected String realmPrefix() {
        return "admin";
    }

    @BeforeAll
    void setUp() {
        viewerToken = adminUser("vera", "view-users");
        managerToken = adminUser("manuel", "manage-users");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name(), Map.of("adminEventsEnabled", true,
                "adminEventsDetailsEnabled", true)).status());
    }

    private String api(String path) {
        return keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords" + path;
    }

    @Test
    void aViewerListsOneUsersAppPasswordsWithoutSecrets() {
        String userId = realm.createUser("ann", "Ann-password-1");
        String token = realm.userToken("ann", "Ann-password-1", null);
        JsonNode phone = realm.newAppPassword(token, "Phone");
        Http.Response limited = realm.createAppPassword(token, Map.of("name", "Sync", "clients", List.of("sync"), "expiresInDays", 30));
        assertEquals(201, limited.status(), limited.body());

        Http.Response listed = keycloak.http().get(api("/users/" + userId), Http.bearer(viewerToken));
        assertEquals(200, listed.status(), listed.body());
        assertEquals(2, listed.json().size());
        JsonNode sync = listed.json().get(1);
        assertEquals("Sync", sync.get("name").asText());
        assertEquals("[\"sync\"]", sync.get("clients").toString());
        assertTrue(sync.get("expiresAt").asLong() > System.currentTimeMillis() + 29L * 86_400_000L, sync.toString());
        assertTrue(listed.json().get(0).get("expiresAt").isNull());
        for (String secret : List.of(phone.get("password").asText(), limited.json().get("password").asText())) {
            assertFalse(listed.body().contains(secret) || listed.body().contains(secret.replace(" ", "")));
        }
        assertFalse(listed.body().contains("salt") || listed.body().contains("hash"), listed.body());
        assertEquals(404, keycloak.http().get(api("/users/no-such-user"), Http.bearer(viewerToken)).status());
    }

    @Test
    void aManagerRevokesOneOrAllAndEachIsAnAdminEvent() {
        String userId = realm.createUser("bob", "Bob-password-1");
        String token = realm.userToken("bob", "Bob-password-1", null);
        JsonNode laptop = realm.newAppPassword(token, "Laptop");
        String phone = realm.newAppPassword(token, "Phone").get("password").asText();
        String tablet = realm.newAppPassword(token, "Tablet").get("password").asText();
        Http.Response session = realm.grant("sync", "bob", phone, null);
        assertEquals(200, realm.refresh("sync", session).status());

        Http.Response byViewer = keycloak.http().send("DELETE", api("/users/" + userId + "/" + laptop.get("id").asText()),
                Http.bearer(viewerToken), null, null);
        assertEquals(403, byViewer.status(), "view-users may not revoke");
        Http.Response one = keycloak.http().send("DELETE", api("/users/" + userId + "/" + laptop.get("id").asText()),
                Http.bearer(managerToken), null, null);
        assertEquals(204, one.status(), one.body());
        assertEquals(400, realm.grant("sync", "bob", laptop.get("password").asText(), null).status());
        assertEquals(404, keycloak.http().send("DELETE", api("/users/" + userId + "/" + laptop.get("id").asText()),
                Http.bearer(managerToken), null, null).status());

        Http.Response all = keycloak.http().send("DELETE", api("/users/" + userId), Http.bearer(managerToken), null, null);
        assertEquals(200, all.status(), all.body());
        assertEquals(2, all.json().get("revoked").asInt());
        assertEquals(400, realm.grant("sync", "bob", tablet, null).status());
        assertEquals(400, realm.refresh("sync", session).status(), "their sessions end too");
        assertEquals(0, realm.listAppPasswords(realm.userToken("bob", "Bob-password-1", null)).json().size());

        // Keycloak's event query filters only by its own resource types: filter here.
        List<JsonNode> events = new java.util.ArrayList<>();
        keycloak.adminGet("/" + realm.name() + "/admin-events?max=200").json().forEach(event -> {
            if ("APP_PASSWORD".equals(event.get("resourceType").asText())) {
                events.add(event);
            }
        });
        assertTrue(events.size() >= 2, events.toString());
        String recorded = events.toString();
        assertTrue(recorded.contains(laptop.get("id").asText()) && recorded.contains("Tablet"), recorded);
        for (String secret : List.of(laptop.get("password").asText(), phone, tablet)) {
            assertFalse(recorded.contains(secret), "no secret in admin events");
        }
        assertFalse(recorded.contains("salt") || recorded.contains("\\\"hash"), recorded);
    }

    @Test
    void plainUsersOtherRealmsAdminsAndStrangersAreRefused() {
        String userId = realm.createUser("carl", "Carl-password-1");
        String plain = realm.userToken("carl", "Carl-password-1", null);
        assertEquals(403, keycloak.http().get(api("/users/" + userId), Http.bearer(plain)).status());
        assertEquals(403, keycloak.http().get(api(""), Http.bearer(plain)).status());
        assertEquals(401, keycloak.http().get(api(""), Map.of()).status());

        TestRealm other = TestRealm.create(keycloak, "other");
        try {
            String foreignAdmin = other.createUser("olaf", "Olaf-password-1");
            other.grantRealmManagementRole(foreignAdmin, "realm-admin");
            String token = other.userToken("olaf", "Olaf-password-1", null);
            int status = keycloak.http().send("DELETE", api("/users/" + userId), Http.bearer(token), null, null).status();
            assertTrue(status == 401 || status == 403, "another realm's admin: " + status);
        } finally {
            other.delete();
        }
    }

    @Test
    void theOverviewFindsStaleAppPasswords() {
        realm.createUser("dora", "Dora-password-1");
        String token = realm.userToken("dora", "Dora-password-1", null);
        String used = realm.newAppPassword(token, "Used").get("password").asText();
        JsonNode unused = realm.newAppPassword(token, "Never used");
        assertEquals(200, realm.grant("sync", "dora", used, null).status());

        JsonNode overview = awaitOverview(o -> o.get("usedInLast30Days").asLong() >= 1);
        assertTrue(overview.get("appPasswords").asLong() >= 2, overview.toString());
        assertTrue(overview.get("usersWithAppPasswords").asLong() >= 1);
        assertTrue(overview.get("neverUsed").asLong() >= 1);
        JsonNode page = keycloak.http().get(api("?first=0&max=500"), Http.bearer(viewerToken)).json().get("leastRecentlyUsed");
        List<String> order = new java.util.ArrayList<>();
        page.forEach(row -> order.add(row.get("id").asText()));
        int neverUsed = order.indexOf(unused.get("id").asText());
        JsonNode usedRow = null;
        for (JsonNode row : page) {
            if ("Used".equals(row.get("name").asText()) && "dora".equals(row.get("username").asText())) {
                usedRow = row;
            }
        }
        assertNotNull(usedRow, page.toString());
        assertTrue(neverUsed >= 0 && neverUsed < order.indexOf(usedRow.get("id").asText()), "never used comes first");
        assertEquals("sync", usedRow.get("lastUsedClientId").asText());
        assertEquals(1, keycloak.http().get(api("?first=0&max=1"), Http.bearer(viewerToken)).json().get("leastRecentlyUsed").size());
        assertEquals(400, keycloak.http().get(api("?max=0"), Http.bearer(viewerToken)).status());
    }

    /** The last-use record is written outside the login's transaction: wait (up to 10 s) until it shows. */
    private JsonNode awaitOverview(java.util.function.Predicate<JsonNode> ready) {
        JsonNode overview = keycloak.http().get(api(""), Http.bearer(viewerToken)).json();
        for (int i = 0; i < 40 && !ready.test(overview); i++) {
            TestRealm.sleep(250);
            overview = keycloak.http().get(api(""), Http.bearer(viewerToken)).json();
        }
        return overview;
    }

    /** A user of this realm with one realm-management role; returns their access token. */
    private String adminUser(String username, String role) {
        String userId = realm.createUser(username, "Admin-" + username + "-1");
        realm.grantRealmManagementRole(userId, role);
        return realm.userToken(username, "Admin-" + username + "-1", null);
    }
}
