package dev.apppasswords.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Await;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack suite for a stolen app password: whatever it signs in gives what its legacy app needs
 * (a token, userinfo for Dovecot) and nothing that changes the account or the realm — not through
 * Keycloak's account REST API, not through the admin API (even for a realm admin), not through this
 * extension's own REST API — for fresh, refreshed and offline tokens alike.
 */
class StolenAppPasswordIT extends RealmIT {

    private static final String ADMIN = "rosa";
    private static final String ADMIN_PASSWORD = "Rosa-password-1";

    private JsonNode aliceAppPassword;

    @Override
    protected String realmPrefix() {
        return "stolen";
    }

    @BeforeAll
    void setUp() {
        aliceAppPassword = realm.newAppPassword(realm.userToken(), "Phone");
        String adminId = realm.createUser(ADMIN, ADMIN_PASSWORD);
        realm.grantRealmManagementRole(adminId, "realm-admin");
    }

    @Test
    void anAppPasswordTokenNamesHowItWasObtainedAndCarriesNoAccountPower() {
        Http.Response grant = realm.grant("mail", aliceAppPassword.get("password").asText());
        assertEquals(200, grant.status(), grant.body());
        JsonNode claims = TestRealm.claims(grant.json().get("access_token").asText());
        assertEquals("[\"app-password\"]", claims.get("amr").toString(), claims.toString());
        assertEquals(aliceAppPassword.get("id").asText(), claims.get("app_password_id").asText());
        assertFalse(audiences(claims).contains("account"), claims.toString());
        assertTrue(claims.at("/resource_access/account").isMissingNode(), claims.toString());

        JsonNode control = TestRealm.claims(realm.userToken());
        assertTrue(audiences(control).contains("account"), "a password+OTP token at the same client keeps its audience: " + control);
        assertNull(control.get("app_password_id"));
    }

    @Test
    void keycloaksAccountApiRefusesAnAppPasswordToken() {
        String token = realm.grant("mail", aliceAppPassword.get("password").asText()).json().get("access_token").asText();
        String otpId = credentialId(TestRealm.USER, "otp");
        Http http = keycloak.http();

        assertEquals(401, http.get(realm.url("/account/credentials"), accountHeaders(token)).status());
        assertEquals(401, http.send("DELETE", realm.url("/account/credentials/" + otpId), accountHeaders(token), null, null).status());
        Http.Response profile = http.json("POST", realm.url("/account/"), accountHeaders(token),
                Map.of("username", TestRealm.USER, "email", "attacker@example.net", "firstName", "Alice", "lastName", "Liddell"));
        assertEquals(401, profile.status(), profile.body());

        assertEquals(otpId, credentialId(TestRealm.USER, "otp"), "the OTP is still there");
        assertEquals("alice@example.org", keycloak.adminGet("/" + realm.name() + "/users/" + realm.userId(TestRealm.USER)).json()
                .get("email").asText(), "the email is unchanged");
        assertEquals(200, http.get(realm.url("/account/credentials"), accountHeaders(realm.userToken())).status(),
                "control: a password+OTP token is accepted");
    }

    @Test
    void theAdminApiRefusesARealmAdminsAppPasswordToken() {
        String adminToken = realm.userToken(ADMIN, ADMIN_PASSWORD, null);
        assertEquals(200, keycloak.http().get(adminUsers(), Http.bearer(adminToken)).status(), "control: the admin's own sign-in works");

        String appPassword = realm.newAppPassword(adminToken, "Script").get("password").asText();
        Http.Response grant = realm.grant("mail", ADMIN, appPassword, null);
        assertEquals(200, grant.status(), grant.body());
        String token = grant.json().get("access_token").asText();
        JsonNode claims = TestRealm.claims(token);
        assertFalse(audiences(claims).contains("realm-management"), claims.toString());
        assertTrue(claims.at("/resource_access/realm-management").isMissingNode(), claims.toString());

        Http.Response users = keycloak.http().get(adminUsers(), Http.bearer(token));
        assertTrue(users.status() == 401 || users.status() == 403, users.status() + " " + users.body());
        Http.Response created = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/users",
                Http.bearer(token), Map.of("username", "backdoor", "enabled", true));
        assertTrue(created.status() == 401 || created.status() == 403, created.toString());
    }

    @Test
    void ourRestApiRefusesAnAppPasswordTokenWhateverItAsks() {
        String token = realm.grant("mail", aliceAppPassword.get("password").asText()).json().get("access_token").asText();
        int before = realm.listAppPasswords(realm.userToken()).json().size();

        Http.Response create = realm.createAppPassword(token, Map.of("name", "Backdoor"));
        assertEquals(403, create.status(), create.body());
        assertTrue(create.json().get("errorMessage").asText().contains("app password"), create.body());
        assertEquals(403, realm.listAppPasswords(token).status());
        assertEquals(403, realm.deleteAppPassword(token, aliceAppPassword.get("id").asText()).status());
        assertEquals(before, realm.listAppPasswords(realm.userToken()).json().size(), "nothing created, nothing deleted");
    }

    @Test
    void refreshedAndOfflineTokensStayNarrow() {
        String secret = aliceAppPassword.get("password").asText();
        Http.Response online = realm.grant("mail", secret);
        Http.Response refreshed = realm.refresh("mail", online);
        assertEquals(200, refreshed.status(), refreshed.body());
        Http.Response offline = realm.offlineGrant("mail", TestRealm.USER, secret);
        assertEquals(200, offline.status(), offline.body());
        Http.Response offlineRefreshed = realm.refresh("mail", offline);
        assertEquals(200, offlineRefreshed.status(), offlineRefreshed.body());

        for (Http.Response response : List.of(refreshed, offline, offlineRefreshed)) {
            String token = response.json().get("access_token").asText();
            assertEquals("app-password", TestRealm.claims(token).get("amr").get(0).asText());
            assertEquals(401, keycloak.http().get(realm.url("/account/credentials"), accountHeaders(token)).status());
            assertEquals(403, realm.createAppPassword(token, Map.of("name", "Backdoor")).status());
        }
    }

    @Test
    void theLegacyAppStillGetsWhatItNeeds() {
        String token = realm.grant("mail", aliceAppPassword.get("password").asText()).json().get("access_token").asText();
        Http.Response userinfo = realm.userinfo(token);
        assertEquals(200, userinfo.status(), userinfo.body());
        assertEquals(TestRealm.USER, userinfo.json().get("preferred_username").asText());
        assertEquals("alice@example.org", userinfo.json().get("email").asText());
        assertEquals(realm.userId(TestRealm.USER), userinfo.json().get("sub").asText());
    }

    @Test
    void creatingAnAppPasswordNeedsARecentSignIn() throws InterruptedException {
        assertEquals(204, realm.configureAppPasswordAction(Map.of("max_auth_age", "1")).status());
        try {
            String token = realm.userToken();
            long authTime = TestRealm.claims(token).get("iat").asLong(); // a direct grant: issued at the sign-in
            // Until the sign-in is more than max_auth_age (1 s) old, by the server's clock as the token states it.
            Await.until("a sign-in older than 1 s", 10, () -> System.currentTimeMillis() / 1000 - authTime, age -> age >= 2);
            Http.Response stale = realm.createAppPassword(token, Map.of("name", "Late"));
            assertEquals(403, stale.status(), stale.body());
            assertTrue(stale.json().get("errorMessage").asText().contains("recent sign-in"), stale.body());
            assertEquals(200, realm.listAppPasswords(token).status(), "listing needs no recent sign-in");
        } finally {
            assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());
        }
        assertEquals(201, realm.createAppPassword(realm.userToken(), Map.of("name", "Fresh")).status());
    }

    private String adminUsers() {
        return keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/users";
    }

    private static Map<String, String> accountHeaders(String token) {
        return Map.of("Authorization", "Bearer " + token, "Accept", "application/json");
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.get("aud");
        if (aud == null) {
            return List.of();
        }
        if (aud.isTextual()) {
            return List.of(aud.asText());
        }
        List<String> list = new java.util.ArrayList<>();
        aud.forEach(a -> list.add(a.asText()));
        return list;
    }

    private String credentialId(String username, String type) {
        for (JsonNode credential : keycloak.adminGet("/" + realm.name() + "/users/" + realm.userId(username) + "/credentials").json()) {
            if (type.equals(credential.get("type").asText())) {
                return credential.get("id").asText();
            }
        }
        return null;
    }
}
