package dev.apppasswords.it;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A phone that keeps sending an app password after its owner deleted it must not lock the owner out
 * (the test realm locks after 10 failures): its retries are recognised, refused with their own error,
 * not counted, and shown to the user and the admin. Random guesses still count.
 */
class StaleDevicesIT extends RealmIT {

    private static final int RETRIES = Integer.getInteger("stale.retries", 1000);

    @Override
    protected String realmPrefix() {
        return "stale";
    }

    @Test
    void aThousandRetriesOfADeletedAppPasswordLockNobodyOutAndAreReported() {
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name(), Map.of("eventsEnabled", true,
                "enabledEventTypes", java.util.List.of("LOGIN_ERROR"))).status());
        String userId = realm.createUser("sue", "Sue-password-1");
        String token = realm.userToken("sue", "Sue-password-1", null);
        JsonNode phone = realm.newAppPassword(token, "Phone");
        String laptop = realm.newAppPassword(token, "Laptop").get("password").asText();
        String secret = phone.get("password").asText();
        assertEquals(200, realm.grant("sync", "sue", secret, null).status(), "the phone used it");
        assertEquals(204, realm.deleteAppPassword(token, phone.get("id").asText()).status());

        long start = System.nanoTime();
        for (int i = 0; i < RETRIES; i++) {
            Http.Response retry = i % 2 == 0 ? realm.grant("sync", "sue", secret, null)
                    : keycloak.http().get(realm.url("/app-passwords/forward-auth"), Map.of("Authorization", TestRealm.basic("sue", secret)));
            assertTrue(retry.status() == 400 || retry.status() == 401, retry.toString());
            if (i == 0) {
                assertTrue(retry.body().contains("was deleted"), retry.body());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        JsonNode status = realm.bruteForceStatus(userId);
        assertEquals(0, status.get("numFailures").asInt(), status.toString());
        assertFalse(status.get("disabled").asBoolean());
        assertEquals(200, realm.grant("sync", "sue", laptop, null).status(), "the other app passwords work");
        assertEquals(200, realm.grant("mail", "sue", "Sue-password-1", null).status(), "the account password works");

        JsonNode errors = keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&user=" + userId + "&max=5").json();
        assertEquals("app_password_revoked", errors.get(0).get("error").asText(), errors.toString());
        assertEquals(phone.get("id").asText(), errors.get(0).get("details").get("app_password_id").asText());

        Http.Response mine = keycloak.http().get(realm.url("/app-passwords/stale-devices"), Http.bearer(token));
        assertEquals(200, mine.status(), mine.body());
        assertEquals("Phone", mine.json().get(0).get("name").asText(), mine.body());
        assertTrue(mine.json().get(0).get("lastTriedAt").asLong() > 0);
        assertEquals("deleted", mine.json().get(0).get("reason").asText());
        Http.Response admin = keycloak.adminGet("/" + realm.name() + "/app-passwords/users/" + userId + "/stale-devices");
        assertEquals(mine.json(), admin.json(), "the admin sees the same");
        assertTrue(keycloak.adminGet("/" + realm.name() + "/app-passwords").json().get("staleDevices").asInt() >= 1);
        System.out.printf("[stale devices] %d retries of a deleted app password in %.1f s: %d failures counted, account unlocked%n",
                RETRIES, seconds, status.get("numFailures").asInt());
    }

    @Test
    void randomGuessesNeverCount() {
        String userId = realm.createUser("ted", "Ted-password-1");
        realm.newAppPasswordOf("ted", "Ted-password-1", "Phone");
        for (int i = 0; i < 3; i++) {
            assertEquals(400, realm.grant("sync", "ted", "abcd efgh ijkl mnop qrst uvw" + (char) ('a' + i), null).status());
        }
        // One wrong account password where it is accepted: counted as the first failure, so the guesses were not.
        realm.failCounted("mail", "ted", "not-teds-password", userId, 1);
        assertEquals(1, realm.bruteForceStatus(userId).get("numFailures").asInt());
    }
}
