package dev.apppasswords.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.TestFiles;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakServer;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.it.support.Timings;
import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realm export and import keep app passwords working: Keycloak's own {@code kc.sh export} writes each app
 * password as a credential holding its salted hash (never the secret), its name and its data (client
 * limits, expiry); imported into an empty database, every app password works again at the token endpoint,
 * a limited one only at its client. The last-use table is not part of the export: it starts empty after
 * the import and fills again with the next logins. A plain restart afterwards loses nothing.
 *
 * <p>Runs a Keycloak of its own ({@link KeycloakServer#ownInstance}: its own copy of the distribution,
 * ports and database {@code apppasswords_export} on PostgreSQL/MariaDB), since it must stop the server,
 * export and empty the database.
 */
class ExportImportIT {

    /** An app password the test created and holds the secret of. */
    private record Held(String username, String userId, String id, String name, String secret, long createdAt,
                        List<String> clients, Long expiresAt) {
    }

    @Test
    void appPasswordsSurviveExportImportIntoAnEmptyDatabaseAndARestart() throws Exception {
        Timings timings = new Timings("export/import, " + System.getProperty("it.db", "dev-file"));
        KeycloakServer server = KeycloakServer.ownInstance("export", "apppasswords_export");
        Keycloak keycloak = new Keycloak(server);
        try {
            server.startFresh();
            timings.lap("fresh Keycloak (copy, kc.sh build, start)");

            // Three users, five app passwords: one limited to a client, one expiring, two never used.
            TestRealm realm = TestRealm.create(keycloak, "export");
            String bobId = realm.createUser("bob", "Bob-password-1");
            String carolId = realm.createUser("carol", "Carol-password-1");
            String aliceId = realm.userId(TestRealm.USER);
            String aliceToken = realm.userToken();
            Held phone = create(realm, aliceToken, TestRealm.USER, aliceId, Map.of("name", "Phone"));
            Held sync = create(realm, aliceToken, TestRealm.USER, aliceId, Map.of("name", "Sync", "clients", List.of("sync")));
            Held guest = create(realm, aliceToken, TestRealm.USER, aliceId, Map.of("name", "Guest laptop", "expiresInDays", 7));
            Held laptop = create(realm, realm.userToken("bob", "Bob-password-1", null), "bob", bobId, Map.of("name", "Laptop"));
            Held tablet = create(realm, realm.userToken("carol", "Carol-password-1", null), "carol", carolId, Map.of("name", "Tablet"));
            List<Held> all = List.of(phone, sync, guest, laptop, tablet);
            assertEquals(List.of("sync"), sync.clients());
            assertNotNull(guest.expiresAt(), "expiresInDays gives an expiry");

            assertEquals(200, grant(realm, "mail", phone).status());
            assertEquals(200, grant(realm, "sync", sync).status());
            assertEquals(200, grant(realm, "mail", laptop).status());
            Map<String, JsonNode> used = adminView(keycloak, realm, all);
            for (Held held : List.of(phone, sync, laptop)) {
                assertTrue(used.get(held.id()).get("lastUsedAt").isNumber(), "usage row of " + held.name());
            }
            timings.lap("realm, 3 users, 5 app passwords, 3 used");

            // kc.sh export, with the server stopped (the dev-file database admits one process).
            server.stop();
            Path exported = Path.of(System.getProperty("project.build.directory", "target"), "exported-realm");
            TestFiles.deleteTree(exported);
            timings.lap("stop");
            server.command("export", "--dir", exported.toString(), "--realm", realm.name());
            timings.lap("kc.sh export");
            checkExport(exported, realm, all);

            // Import into an empty database: --import-realm reads the exported folder at start.
            server.emptyDatabase();
            Files.createDirectories(server.importDirectory());
            try (Stream<Path> files = Files.list(exported)) {
                for (Path file : files.toList()) {
                    Files.copy(file, server.importDirectory().resolve(file.getFileName()));
                }
            }
            server.restart(List.of("--import-realm"));
            keycloak.forgetAdminToken(); // the new master realm has new keys
            timings.lap("empty database, start with --import-realm");

            Map<String, JsonNode> imported = adminView(keycloak, realm, all);
            for (Held held : all) {
                JsonNode view = imported.get(held.id());
                assertNotNull(view, held.name() + " imported with its id");
                assertEquals(held.name(), view.get("name").asText());
                assertEquals(held.createdAt(), view.get("createdAt").asLong());
                assertEquals(held.clients(), strings(view.get("clients")), held.name() + " keeps its client limit");
                assertEquals(held.expiresAt(), view.get("expiresAt").isNull() ? null : view.get("expiresAt").asLong());
                assertTrue(view.get("lastUsedAt").isNull(), "the last-use table is not exported: " + view);
            }
            server.usageRows().ifPresent(rows -> assertEquals(0, rows, "APP_PASSWORD_USAGE starts empty after an import"));

            assertAllWork(realm, phone, sync, guest, laptop, tablet);
            Map<String, JsonNode> usedAgain = adminView(keycloak, realm, all);
            for (Held held : all) {
                assertTrue(usedAgain.get(held.id()).get("lastUsedAt").isNumber(), "used again after the import: " + held.name());
            }
            timings.lap("checks after the import");

            // A plain restart loses nothing: app passwords, limits, expiry, last use.
            server.restart(List.of());
            assertEquals(usedAgain, adminView(keycloak, realm, all), "same app passwords and last use after a restart");
            assertAllWork(realm, phone, sync, guest, laptop, tablet);
            server.usageRows().ifPresent(rows -> assertEquals(all.size(), rows, "one last-use row per app password"));
            timings.lap("plain restart and checks");
        } finally {
            server.stop();
            timings.printSummary();
        }
    }

    private static void checkExport(Path exported, TestRealm realm, List<Held> all) throws Exception {
        assertTrue(Files.exists(exported.resolve(realm.name() + "-realm.json")), "realm file in " + exported);
        StringBuilder text = new StringBuilder();
        Map<String, JsonNode> users = new HashMap<>();
        try (Stream<Path> files = Files.list(exported)) {
            for (Path file : files.sorted().toList()) {
                String json = Files.readString(file, StandardCharsets.UTF_8);
                text.append(json);
                Http.JSON.readTree(json).path("users").forEach(user -> users.put(user.get("username").asText(), user));
            }
        }
        String lowerCase = text.toString().toLowerCase(Locale.ROOT);
        for (Held held : all) {
            // Never the secret, in any form a user could type it.
            AppPasswordSecret secret = AppPasswordSecret.parse(held.secret());
            assertFalse(lowerCase.contains(secret.canonical()), "the export holds the secret of " + held.name());
            assertFalse(lowerCase.contains(secret.grouped()), "the export holds the secret of " + held.name());

            JsonNode user = users.get(held.username());
            assertNotNull(user, held.username() + " exported");
            JsonNode credential = null;
            for (JsonNode c : user.path("credentials")) {
                if (held.id().equals(c.path("id").asText())) {
                    credential = c;
                }
            }
            assertNotNull(credential, held.name() + " exported as a credential of " + held.username() + ": " + user);
            assertEquals("app-password", credential.get("type").asText());
            assertEquals(held.name(), credential.get("userLabel").asText());
            assertEquals(held.createdAt(), credential.get("createdDate").asLong());

            // Secret data: exactly a salt and the salted SHA-256 of this secret.
            JsonNode secretData = Http.JSON.readTree(credential.get("secretData").asText());
            Set<String> fields = new java.util.TreeSet<>();
            secretData.fieldNames().forEachRemaining(fields::add);
            assertEquals(Set.of("hash", "salt"), fields, "secret data holds a salt and a hash only");
            assertTrue(SecretHash.decode(secretData.get("salt").asText(), secretData.get("hash").asText()).matches(secret),
                    "the exported hash is the salted hash of " + held.name() + "'s secret");

            // Credential data: the algorithm, the client limit and the expiry.
            JsonNode data = Http.JSON.readTree(credential.get("credentialData").asText());
            assertEquals(SecretHash.ALGORITHM, data.get("algorithm").asText());
            assertEquals(held.clients(), strings(data.get("clients")), held.name() + "'s clients");
            assertEquals(held.expiresAt(), data.has("expiresAt") ? data.get("expiresAt").asLong() : null, held.name() + "'s expiry");
        }
        // The last-use table (APP_PASSWORD_USAGE) has no place in a realm export.
        assertFalse(lowerCase.contains("lastused"), "no last-use data in the export");
        assertFalse(lowerCase.contains("app_password_usage"), "no last-use data in the export");
        JsonNode example = null;
        for (JsonNode c : users.get(TestRealm.USER).path("credentials")) {
            if ("Sync".equals(c.path("userLabel").asText())) {
                example = c;
            }
        }
        System.out.println("[export/import] an exported app password: " + example);
    }

    private static void assertAllWork(TestRealm realm, Held phone, Held sync, Held guest, Held laptop, Held tablet) {
        assertEquals(200, grant(realm, "mail", phone).status(), "Phone");
        assertEquals(200, grant(realm, "sync", sync).status(), "Sync at its client");
        assertEquals(400, grant(realm, "mail", sync).status(), "Sync is limited to the client sync");
        assertEquals(200, grant(realm, "mail", guest).status(), "Guest laptop (expires in 7 days)");
        assertEquals(200, grant(realm, "mail", laptop).status(), "bob's Laptop");
        assertEquals(200, grant(realm, "mail", tablet).status(), "carol's Tablet, never used before");
        assertEquals(400, realm.grant("mail", realm.password()).status(), "alice's account password still needs her OTP");
    }

    private static Held create(TestRealm realm, String token, String username, String userId, Map<String, Object> body) {
        Http.Response response = realm.createAppPassword(token, body);
        assertEquals(201, response.status(), response.body());
        JsonNode created = response.json();
        JsonNode expiresAt = created.get("expiresAt");
        return new Held(username, userId, created.get("id").asText(), created.get("name").asText(), created.get("password").asText(),
                created.get("createdAt").asLong(), strings(created.get("clients")),
                expiresAt == null || expiresAt.isNull() ? null : expiresAt.asLong());
    }

    private static Http.Response grant(TestRealm realm, String clientId, Held held) {
        return realm.grant(clientId, held.username(), held.secret(), null);
    }

    /** The admin API's view of each user's app passwords, by id (names, clients, expiry, last use). */
    private static Map<String, JsonNode> adminView(Keycloak keycloak, TestRealm realm, List<Held> all) {
        Map<String, JsonNode> view = new LinkedHashMap<>();
        for (String userId : all.stream().map(Held::userId).distinct().toList()) {
            Http.Response listed = keycloak.adminGet("/" + realm.name() + "/app-passwords/users/" + userId);
            assertEquals(200, listed.status(), listed.body());
            listed.json().forEach(p -> view.put(p.get("id").asText(), p));
        }
        return view;
    }

    /** Rows in APP_PASSWORD_USAGE (this instance's own database), on PostgreSQL and MariaDB; empty on dev-file. */

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
