package dev.apppasswords.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * App passwords live and die with their user and realm, and survive a restart. Last-use rows are
 * checked with SQL on PostgreSQL (the CI runs the suite on both databases); on dev-file H2 the running
 * server holds the database file, so there the HTTP-visible half is checked.
 */
@ExtendWith(KeycloakExtension.class)
class LifecycleIT {

    @Test
    void deletingAUserRemovesItsAppPasswordsAndUsageRows(Keycloak keycloak) throws Exception {
        TestRealm realm = TestRealm.create(keycloak, "lifecycle");
        try {
            String userId = realm.createUser("jack", "Jack-password-1");
            String token = realm.userToken("jack", "Jack-password-1", null);
            String id = realm.newAppPassword(token, "Phone").get("id").asText();
            String password = realm.newAppPassword(token, "Laptop").get("password").asText();
            realm.newAppPassword(token, "Tablet");
            assertEquals(200, realm.grant("sync", "jack", password, null).status());
            assertEquals(1, usageRows("USER_ID", userId, keycloak).orElse(1));

            assertEquals(204, keycloak.adminDelete("/" + realm.name() + "/users/" + userId).status());
            assertEquals(404, keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/credentials").status());
            assertEquals(0, usageRows("USER_ID", userId, keycloak).orElse(0));
            assertEquals(0, credentialRows(id, keycloak).orElse(0));

            // Same username again: a new user starts with no app passwords.
            realm.createUser("jack", "Jack-password-2");
            assertEquals("[]", realm.listAppPasswords(realm.userToken("jack", "Jack-password-2", null)).body());
        } finally {
            realm.delete();
        }
    }

    @Test
    void deletingARealmRemovesItsUsageRows(Keycloak keycloak) throws Exception {
        TestRealm realm = TestRealm.create(keycloak, "realmgone");
        String realmId = keycloak.adminGet("/" + realm.name()).json().get("id").asText();
        String password = realm.newAppPassword(realm.userToken(), "Phone").get("password").asText();
        assertEquals(200, realm.grant("mail", password).status());
        assertEquals(1, usageRows("REALM_ID", realmId, keycloak).orElse(1));
        realm.delete();
        assertEquals(404, keycloak.adminGet("/" + realm.name()).status());
        assertEquals(0, usageRows("REALM_ID", realmId, keycloak).orElse(0));
    }

    @Test
    void appPasswordSurvivesARestart(Keycloak keycloak) throws Exception {
        TestRealm realm = TestRealm.create(keycloak, "restart");
        try {
            String password = realm.newAppPassword(realm.userToken(), "Phone").get("password").asText();
            assertEquals(200, realm.grant("mail", password).status());
            keycloak.server().restart();
            assertEquals(200, realm.grant("mail", password).status());
            assertEquals(400, realm.grant("mail", realm.password()).status(), "the OTP is still required for the main password");
            Http.Response login = realm.grantWithOtpAfterAFailure("mail");
            assertEquals(200, login.status(), login.body());
            String token = login.json().get("access_token").asText();
            assertTrue(realm.listAppPasswords(token).json().get(0).get("lastUsedAt").isNumber());
        } finally {
            realm.delete();
        }
    }

    private static Optional<Integer> usageRows(String column, String value, Keycloak keycloak) throws Exception {
        return count("SELECT COUNT(*) FROM APP_PASSWORD_USAGE WHERE " + column + " = ?", value, keycloak);
    }

    private static Optional<Integer> credentialRows(String id, Keycloak keycloak) throws Exception {
        return count("SELECT COUNT(*) FROM CREDENTIAL WHERE ID = ?", id, keycloak);
    }

    private static Optional<Integer> count(String sql, String value, Keycloak keycloak) throws Exception {
        Optional<Connection> db = keycloak.server().openDatabase();
        if (db.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Optional.of(rs.getInt(1));
            }
        }
    }
}
