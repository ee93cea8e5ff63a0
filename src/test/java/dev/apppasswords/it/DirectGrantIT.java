package dev.apppasswords.it;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token endpoint with {@code grant_type=password}, through the flows a realm admin composes. */
class DirectGrantIT extends RealmIT {

    private String appPassword;
    private String appPasswordId;

    @Override
    protected String realmPrefix() {
        return "grant";
    }

    @BeforeAll
    void setUp() {
        JsonNode created = realm.newAppPassword(realm.userToken(), "Thunderbird");
        appPassword = created.get("password").asText();
        appPasswordId = created.get("id").asText();
    }

    @Test
    void appPasswordLogsInWithoutOtp() {
        Http.Response response = realm.grant("mail", appPassword);
        assertEquals(200, response.status(), response.body());
        assertTrue(response.json().hasNonNull("access_token"));
    }

    @Test
    void appPasswordIsAcceptedWithoutSeparatorsAndInCapitals() {
        assertEquals(200, realm.grant("mail", appPassword.replace(" ", "")).status());
        assertEquals(200, realm.grant("mail", appPassword.replace(' ', '-').toUpperCase()).status());
    }

    @Test
    void mainPasswordWithoutOtpIsRefused() {
        Http.Response response = realm.grant("mail", realm.password());
        assertEquals(400, response.status());
        assertEquals("invalid_grant", response.json().get("error").asText());
    }

    @Test
    void mainPasswordWithCorrectOtpLogsIn() {
        // Other tests of this class fail Alice's logins, possibly just before this one.
        assertEquals(200, realm.grantWithOtpAfterAFailure("mail").status());
    }

    @Test
    void mainPasswordWithWrongOtpIsRefused() {
        String wrong = realm.currentOtp().equals("000000") ? "111111" : "000000";
        assertEquals(400, realm.grant("mail", TestRealm.USER, realm.password(), wrong).status());
    }

    @Test
    void appPasswordsOnlyClientRefusesTheMainPasswordEvenWithOtp() {
        assertEquals(200, realm.grant("sync", appPassword).status());
        assertEquals(200, realm.grant("sync-username-first", appPassword).status(), "the same after Keycloak's username step");
        assertEquals(400, realm.grant("sync-username-first", TestRealm.USER, realm.password(), null).status());
        Http.Response response = realm.grant("sync", TestRealm.USER, realm.password(), realm.currentOtp());
        assertEquals(400, response.status());
        assertEquals("invalid_grant", response.json().get("error").asText());
        assertEquals("Invalid user credentials", response.json().get("error_description").asText());
    }

    @Test
    void clientWithoutTheFlowRefusesAppPasswords() {
        // "scripts" uses the realm's built-in direct grant: password + conditional OTP only.
        Http.Response response = realm.keycloak().http().form(realm.url("/protocol/openid-connect/token"), Map.of(),
                Http.params("grant_type", "password", "client_id", "scripts", "client_secret", "scripts-secret",
                        "username", TestRealm.USER, "password", appPassword));
        assertEquals(400, response.status(), response.body());
        assertEquals("invalid_grant", response.json().get("error").asText());
    }

    @Test
    void loginEventNamesTheAppPasswordButNeverTheSecret() {
        assertEquals(200, realm.grant("mail", appPassword).status());
        Http.Response events = realm.keycloak().adminGet("/" + realm.name() + "/events?type=LOGIN&client=mail&max=50&user=" + realm.userId(TestRealm.USER));
        assertEquals(200, events.status());
        boolean found = false;
        for (JsonNode event : events.json()) {
            JsonNode details = event.get("details");
            if (details != null && details.has("app_password_id")) {
                assertEquals(appPasswordId, details.get("app_password_id").asText());
                assertEquals("true", details.get("app_password").asText());
                found = true;
            }
        }
        assertTrue(found, "no LOGIN event with app_password_id: " + events.body());
        assertFalse(events.body().contains(appPassword), "secret leaked into events");
        assertFalse(events.body().contains(appPassword.replace(" ", "")), "secret leaked into events");
    }

    @Test
    void disabledUserIsRefusedWithCorrectAppPassword() {
        String bobPassword = "Bob-password-1";
        String bobId = realm.createUser("bob-disabled", bobPassword);
        String bobToken = realm.userToken("bob-disabled", bobPassword, null);
        String bobAppPassword = realm.newAppPassword(bobToken, "Phone").get("password").asText();
        assertEquals(200, realm.grant("mail", "bob-disabled", bobAppPassword, null).status());

        assertEquals(204, realm.keycloak().adminJson("PUT", "/" + realm.name() + "/users/" + bobId, Map.of("enabled", false)).status());
        assertEquals(400, realm.grant("mail", "bob-disabled", bobAppPassword, null).status());
        assertEquals(400, realm.grant("sync", "bob-disabled", bobAppPassword, null).status());
    }

    @Test
    void wrongAppPasswordsNeverCountButWrongAccountPasswordsLockTheAccountAndItsAppPasswords() {
        String carolPassword = "Carol-password-1";
        String carolId = realm.createUser("carol", carolPassword);
        String carolAppPassword = realm.newAppPasswordOf("carol", carolPassword, "Laptop");

        assertEquals(200, realm.grant("sync", "carol", carolAppPassword, null).status(), "the device signs in before the guesses");
        // Wrong secrets in the app-password format, through both flows: refused, never counted toward the lockout
        // (fewer than the source's burst of 10, so later tests of this class are not throttled).
        for (String client : new String[] {"sync", "mail"}) {
            for (int i = 0; i < 3; i++) {
                Http.Response wrong = realm.grant(client, "carol", "abcd efgh ijkl mnop qrst uvw" + (char) ('a' + i), null);
                assertEquals(400, wrong.status(), wrong.body());
                assertEquals("invalid_grant", wrong.json().get("error").asText());
            }
        }
        // Ten wrong account passwords (the realm's failure factor) where the account password is accepted: counted
        // one by one from 1, which also shows the six guesses above were not.
        for (int i = 0; i < 10; i++) {
            realm.failCounted("mail", "carol", "not-the-password", carolId, i + 1);
        }
        JsonNode status = realm.awaitLocked(carolId);
        assertTrue(status.get("disabled").asBoolean(), status.toString());
        assertEquals(10, status.get("numFailures").asInt(), status.toString());

        assertEquals(400, realm.grant("mail", "carol", carolAppPassword, null).status());
        assertEquals(400, realm.grant("sync", "carol", carolAppPassword, null).status());

        // The admin lifts the lock: the app password works again.
        assertEquals(204, keycloak.adminDelete("/" + realm.name() + "/attack-detection/brute-force/users/" + carolId).status());
        assertEquals(200, realm.grant("sync", "carol", carolAppPassword, null).status());
    }

    @Test
    void appPasswordSuccessDoesNotResetFailuresAgainstTheMainPassword() {
        String userId = realm.createUser("dave", "Dave-password-1");
        String davesAppPassword = realm.newAppPasswordOf("dave", "Dave-password-1", "Mail");
        for (int i = 0; i < 3; i++) {
            // Keycloak records failures asynchronously and refuses (without counting) a login that overlaps.
            realm.failCounted("mail", "dave", "guess-" + i, userId, i + 1);
        }
        // A mail client keeps logging in with its app password (the app-password step first, as recommended for
        // mail servers, so Keycloak's in-flight guard does not refuse it); the guesses must still count.
        for (int i = 0; i < 5; i++) {
            assertEquals(200, realm.grant("mail-parallel", "dave", davesAppPassword, null).status());
        }
        // One more wrong password is counted as the fourth failure: the five successes reset nothing.
        realm.failCounted("mail", "dave", "guess-3", userId, 4);
        assertEquals(4, realm.bruteForceStatus(userId).get("numFailures").asInt());
    }
}
