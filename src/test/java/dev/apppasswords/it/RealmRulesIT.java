package dev.apppasswords.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Await;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.secret.AppPasswordSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle rules of the realm policy (the required action's configuration): revocation on a password
 * reset, lifetime and expiry, who may have app passwords, and the realm switch — each with its default.
 */
class RealmRulesIT extends RealmIT {

    @Override
    protected String realmPrefix() {
        return "rules";
    }

    @AfterEach
    void defaults() {
        assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());
    }

    @Test
    void anAdminResettingThePasswordRevokesEveryAppPasswordAndItsSessions() {
        String userId = realm.createUser("rita", "Rita-password-1");
        String token = realm.userToken("rita", "Rita-password-1", null);
        String phone = realm.newAppPassword(token, "Phone").get("password").asText();
        realm.newAppPassword(token, "Laptop");
        Http.Response session = realm.offlineGrant("sync", "rita", phone);
        assertEquals(200, session.status());

        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId + "/reset-password",
                Map.of("type", "password", "value", "Rita-password-2", "temporary", false)).status());

        assertEquals(400, realm.grant("sync", "rita", phone, null).status());
        assertEquals(400, realm.refresh("sync", session).status(), "its offline session ended");
        assertEquals(0, realm.listAppPasswords(realm.userToken("rita", "Rita-password-2", null)).json().size());
    }

    @Test
    void revocationOnPasswordChangeCanBeSwitchedOff() {
        assertEquals(204, realm.configureAppPasswordAction(Map.of("revoke_on_password_change", "false")).status());
        String userId = realm.createUser("sam", "Sam-password-1");
        String phone = realm.newAppPasswordOf("sam", "Sam-password-1", "Phone");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId + "/reset-password",
                Map.of("type", "password", "value", "Sam-password-2", "temporary", false)).status());
        assertEquals(200, realm.grant("sync", "sam", phone, null).status());
    }

    @Test
    void anExpiredAppPasswordStopsAtOnceSaysSoAndIsRemovedAfterTheGracePeriod() {
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name(), Map.of("eventsEnabled", true,
                "enabledEventTypes", List.of("LOGIN_ERROR", "REMOVE_CREDENTIAL"))).status());
        AppPasswordSecret secret = AppPasswordSecret.generate();
        String userId = realm.importUserWithAppPassword("tom", secret, System.currentTimeMillis() - 60_000);

        Http.Response grant = realm.grant("sync", "tom", secret.grouped(), null);
        assertEquals(400, grant.status());
        assertTrue(grant.body().contains("expired"), grant.body());
        JsonNode errors = keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&user=" + userId).json();
        assertEquals("app_password_expired", errors.get(0).get("error").asText(), errors.toString());
        assertFalse(realm.bruteForceStatus(userId).get("numFailures").asInt() > 0, "an expired app password is no guess");

        String token = realm.userToken("tom", "Tom-password-1", null);
        JsonNode listed = realm.listAppPasswords(token).json();
        assertEquals(1, listed.size(), "kept during the grace period");
        assertTrue(listed.get(0).get("expired").asBoolean(), listed.toString());

        assertEquals(204, realm.configureAppPasswordAction(Map.of("expired_grace_days", "0")).status());
        assertEquals(0, realm.listAppPasswords(token).json().size(), "no longer listed once the grace period is over");
        // The clean-up (every 2 s on the test server, hourly by default) removes it, with the reason in the event.
        JsonNode removed = Await.until("the clean-up's REMOVE_CREDENTIAL event", 30,
                () -> keycloak.adminGet("/" + realm.name() + "/events?type=REMOVE_CREDENTIAL&user=" + userId).json(), events -> events.size() > 0);
        assertEquals("expired", removed.get(0).get("details").get("reason").asText(), removed.toString());
    }

    @Test
    void theMaximumLifetimeBoundsTheExpiryAUserPicks() {
        assertEquals(204, realm.configureAppPasswordAction(Map.of("max_lifetime_days", "30")).status());
        realm.createUser("una", "Una-password-1");
        String token = realm.userToken("una", "Una-password-1", null);
        long now = System.currentTimeMillis();

        Http.Response tooLong = realm.createAppPassword(token, Map.of("name", "Forever", "expiresInDays", 31));
        assertEquals(400, tooLong.status());
        assertTrue(tooLong.json().get("errorMessage").asText().contains("30"), tooLong.body());
        assertEquals(400, realm.createAppPassword(token, Map.of("name", "Zero", "expiresInDays", 0)).status());
        assertEquals(400, realm.createAppPassword(token, Map.of("name", "Text", "expiresInDays", "soon")).status());

        long week = realm.createAppPassword(token, Map.of("name", "Week", "expiresInDays", 7)).json().get("expiresAt").asLong();
        assertTrue(Math.abs(week - (now + 7 * 86_400_000L)) < 120_000, "7 days: " + week);
        long byDefault = realm.createAppPassword(token, Map.of("name", "Default")).json().get("expiresAt").asLong();
        assertTrue(Math.abs(byDefault - (now + 30 * 86_400_000L)) < 120_000, "the realm's maximum when none is picked");
        assertEquals(400, realm.configureAppPasswordAction(Map.of("max_lifetime_days", "-1")).status(), "nonsense is refused");
    }

    @Test
    void onlyMembersOfAGroupMayHaveThemAndOutsidersAreCutOffWithoutLosingThem() {
        String groupId = createGroup("mail-users");
        String insiderId = realm.createUser("vic", "Vic-password-1");
        realm.createUser("wes", "Wes-password-1");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + insiderId + "/groups/" + groupId, Map.of()).status());
        String outsiderPassword = realm.newAppPasswordOf("wes", "Wes-password-1", "Old phone");

        assertEquals(204, realm.configureAppPasswordAction(Map.of("allowed_groups", "/mail-users")).status());
        Http.Response refused = realm.createAppPassword(realm.userToken("wes", "Wes-password-1", null), Map.of("name", "New"));
        assertEquals(403, refused.status());
        assertTrue(refused.json().get("errorMessage").asText().contains("mail-users"), refused.body());
        Http.Response outsider = realm.grant("sync", "wes", outsiderPassword, null);
        assertEquals(400, outsider.status(), "an outsider's existing app password stops working");
        assertTrue(outsider.body().contains("not allowed"), outsider.body());
        assertEquals(1, realm.listAppPasswords(realm.userToken("wes", "Wes-password-1", null)).json().size(), "but is not deleted");

        String insiderPassword = realm.newAppPasswordOf("vic", "Vic-password-1", "Phone");
        assertEquals(200, realm.grant("sync", "vic", insiderPassword, null).status());

        assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());
        assertEquals(200, realm.grant("sync", "wes", outsiderPassword, null).status(), "back to everyone: it works again");
    }

    @Test
    void aRoleOrASecondFactorCanBeRequired() {
        realm.createUser("xena", "Xena-password-1");
        String xena = realm.userToken("xena", "Xena-password-1", null);
        assertEquals(204, realm.configureAppPasswordAction(Map.of("require_second_factor", "true")).status());
        Http.Response noOtp = realm.createAppPassword(xena, Map.of("name", "Phone"));
        assertEquals(403, noOtp.status());
        assertTrue(noOtp.json().get("errorMessage").asText().contains("second factor"), noOtp.body());
        assertEquals(201, realm.createAppPassword(realm.userToken(), Map.of("name", "Alice's phone")).status(), "alice has OTP");

        assertEquals(204, realm.configureAppPasswordAction(Map.of("allowed_role", "app-password-users")).status());
        assertEquals(403, realm.createAppPassword(xena, Map.of("name", "Phone")).status(), "no such role: nobody");
    }

    @Test
    void switchingAppPasswordsOffStopsThemAllAndSwitchingOnRestoresThem() {
        realm.createUser("yara", "Yara-password-1");
        String password = realm.newAppPasswordOf("yara", "Yara-password-1", "Phone");
        assertEquals(204, realm.configureAppPasswordAction(Map.of("app_passwords_enabled", "false")).status());

        Http.Response grant = realm.grant("sync", "yara", password, null);
        assertEquals(400, grant.status());
        assertTrue(grant.body().contains("turned off"), grant.body());
        assertEquals(401, keycloak.http().get(realm.url("/app-passwords/forward-auth"),
                Map.of("Authorization", TestRealm.basic("yara", password))).status());
        String token = realm.userToken("yara", "Yara-password-1", null);
        assertEquals(403, realm.createAppPassword(token, Map.of("name", "New")).status());
        assertEquals(1, realm.listAppPasswords(token).json().size(), "nothing deleted");

        assertEquals(204, realm.configureAppPasswordAction(Map.of("app_passwords_enabled", "true")).status());
        assertEquals(200, realm.grant("sync", "yara", password, null).status());
    }


    private String createGroup(String name) {
        Http.Response created = keycloak.adminJson("POST", "/" + realm.name() + "/groups", Map.of("name", name));
        assertEquals(201, created.status(), created.body());
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
