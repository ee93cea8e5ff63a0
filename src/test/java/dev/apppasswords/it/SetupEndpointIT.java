package dev.apppasswords.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-step set-up, tried as a new admin would: a realm made with nothing but clients and a user (as the
 * admin console or {@code kcadm.sh} would make it: direct access grants off), then one call to
 * {@code POST /admin/realms/{realm}/app-passwords/setup}.
 */
@ExtendWith(KeycloakExtension.class)
class SetupEndpointIT {

    private final Keycloak keycloak;

    SetupEndpointIT(Keycloak keycloak) {
        this.keycloak = keycloak;
    }

    /** A realm as an admin makes it: no app-password flow, clients with Keycloak's defaults, one user without OTP. */
    static String plainRealm(Keycloak keycloak) {
        String name = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = keycloak.adminJson("POST", "", Map.of("realm", name, "enabled", true,
                "clients", List.of(Map.of("clientId", "mail", "publicClient", true), Map.of("clientId", "webdav", "publicClient", true)),
                "users", List.of(Map.of("username", "paula", "enabled", true, "email", "paula@example.org", "emailVerified", true,
                        "firstName", "Paula", "lastName", "Plain", "realmRoles", List.of("default-roles-" + name),
                        "credentials", List.of(Map.of("type", "password", "value", "Paula-password-1"))))));
        assertEquals(201, created.status(), created.body());
        return name;
    }

    /** Runs the test in a fresh {@link #plainRealm}, deleted afterwards. */
    private void inPlainRealm(java.util.function.Consumer<String> test) {
        String realm = plainRealm(keycloak);
        try {
            test.accept(realm);
        } finally {
            keycloak.adminDelete("/" + realm);
        }
    }

    private Http.Response setup(String realm, Object body, Map<String, String> auth) {
        return keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm + "/app-passwords/setup", auth, body);
    }

    @Test
    void theRequiredActionIsRegisteredInEveryNewRealm() {
        inPlainRealm(realm -> {
            JsonNode action = keycloak.adminGet("/" + realm + "/authentication/required-actions/create-app-password").json();
            assertTrue(action.get("enabled").asBoolean(), action.toString());
            assertFalse(action.get("defaultAction").asBoolean(), "never forced on users");
        });
    }

    @Test
    void oneCallSetsUpEverythingAndTheSecondChangesNothing() {
        inPlainRealm(realm -> {
            Map<String, Object> body = Map.of("directGrantClients", List.of("mail"), "layout", "app-password-first",
                    "basicAuth", Map.of("docker", false, "clients", List.of("webdav")));
            Http.Response first = setup(realm, body, keycloak.admin());
            assertEquals(200, first.status(), first.body());
            assertEquals("created", first.json().at("/flows/direct grant app password first").asText(), first.body());
            assertEquals("created", first.json().at("/flows/http basic with app passwords").asText());
            assertTrue(first.json().at("/clients/mail").asText().contains("direct access grants turned on"), first.body());
            assertEquals("found", first.json().get("requiredAction").asText(), "already registered when the realm was created");
            System.out.println("[setup] first call: " + first.body());

            Http.Response second = setup(realm, body, keycloak.admin());
            assertEquals(200, second.status());
            assertEquals("found", second.json().at("/flows/direct grant app password first").asText(), second.body());
            assertTrue(second.json().at("/clients/mail").asText().contains("already bound"), second.body());
            assertFalse(second.body().contains("created") || second.body().contains("turned on"), second.body());

            // The whole user experience now works: create over REST with a password sign-in, use it at mail and at forward-auth.
            TestRealmAccess paula = new TestRealmAccess(keycloak, realm);
            String token = paula.passwordToken("paula", "Paula-password-1");
            Http.Response created = keycloak.http().json("POST", paula.url("/app-passwords"), Http.bearer(token), Map.of("name", "Phone"));
            assertEquals(201, created.status(), created.body());
            String secret = created.json().get("password").asText();
            assertEquals(200, paula.grant("mail", "paula", secret).status());
            assertEquals(200, keycloak.http().get(paula.url("/app-passwords/forward-auth?client_id=webdav"),
                    Map.of("Authorization", TestRealm.basic("paula", secret))).status());
        });
    }

    @Test
    void aMissingClientIsNamedAndNothingChanges() {
        inPlainRealm(realm -> {
            Http.Response missing = setup(realm, Map.of("directGrantClients", List.of("mail", "dovecot")), keycloak.admin());
            assertEquals(404, missing.status(), missing.body());
            assertTrue(missing.json().get("errorMessage").asText().contains("dovecot"), missing.body());
            String flows = keycloak.adminGet("/" + realm + "/authentication/flows").body();
            assertFalse(flows.contains("app password first"), "no flow was created");
            assertEquals(400, setup(realm, Map.of("layout", "sideways"), keycloak.admin()).status());
        });
    }

    @Test
    void onlyAnAdminWhoMayManageTheRealmMaySetUp() {
        inPlainRealm(realm -> {
            setup(realm, Map.of("directGrantClients", List.of("mail")), keycloak.admin());
            String token = new TestRealmAccess(keycloak, realm).passwordToken("paula", "Paula-password-1");
            assertEquals(403, setup(realm, Map.of(), Http.bearer(token)).status());
            assertEquals(401, setup(realm, Map.of(), Map.of()).status());
        });
    }

    /** The few calls these tests make into a realm that is not a {@link TestRealm}. */
    record TestRealmAccess(Keycloak keycloak, String realm) {
        String url(String path) {
            return keycloak.baseUrl() + "/realms/" + realm + path;
        }

        Http.Response grant(String clientId, String username, String password) {
            return keycloak.http().form(url("/protocol/openid-connect/token"), Map.of(), Http.params("grant_type", "password",
                    "client_id", clientId, "scope", "openid", "username", username, "password", password));
        }

        String passwordToken(String username, String password) {
            Http.Response response = grant("mail", username, password);
            assertEquals(200, response.status(), response.body());
            return response.json().get("access_token").asText();
        }
    }
}
