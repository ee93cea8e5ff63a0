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
        // The tests create app passwords over REST with tokens of these clients; the policy must name them.
        assertEquals(204, keycloak.adminJson("PUT", "/" + name + "/authentication/required-actions/create-app-password/config",
                Map.of("config", Map.of("creation_clients", "mail,webdav"))).status());
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

    /**
     * {@code mailClients}: the recommended (cheapest) mail login in one call. Dovecot's sequence — an app-password
     * grant with scope=openid, then userinfo — works with HS256 tokens, no refresh token and no stored session;
     * the realm's other clients keep RS256; a second call changes nothing.
     */
    @Test
    void mailClientsGetTheCheapestMailLoginAndTheSecondCallChangesNothing() {
        inPlainRealm(realm -> {
            Map<String, Object> body = Map.of("mailClients", List.of("mail"), "directGrantClients", List.of("webdav"));
            Http.Response first = setup(realm, body, keycloak.admin());
            assertEquals(200, first.status(), first.body());
            System.out.println("[setup] mail clients, first call: " + first.body());
            assertEquals("created", first.json().at("/flows/direct grant app passwords for mail").asText(), first.body());
            assertEquals("created", first.json().get("hs256SigningKey").asText(), first.body());
            String mail = first.json().at("/clients/mail").asText();
            for (String done : List.of("direct_grant flow bound", "direct access grants turned on", "refresh tokens turned off",
                    "access and ID tokens signed with HS256")) {
                assertTrue(mail.contains(done), done + ": " + first.body());
            }
            JsonNode client = client(realm, "mail");
            assertEquals("false", client.at("/attributes/use.refresh.tokens").asText());
            assertEquals("HS256", client.at("/attributes/access.token.signed.response.alg").asText());
            assertEquals("HS256", client.at("/attributes/id.token.signed.response.alg").asText());
            assertTrue(client.at("/attributes/user.info.response.signature.alg").asText().isEmpty(), "userinfo stays unsigned JSON");
            JsonNode hmac = keyProviders(realm, "hmac-generated").stream()
                    .filter(k -> "HS256".equals(k.at("/config/algorithm/0").asText())).findFirst().orElseThrow();
            assertTrue(hmac.at("/config/priority/0").asInt() < keyProviders(realm, "rsa-generated").get(0).at("/config/priority/0").asInt(),
                    "below the realm's RSA key");
            JsonNode stateBefore = state(realm);

            Http.Response second = setup(realm, body, keycloak.admin());
            assertEquals(200, second.status(), second.body());
            assertEquals("found", second.json().at("/flows/direct grant app passwords for mail").asText(), second.body());
            assertEquals("found", second.json().get("hs256SigningKey").asText(), second.body());
            assertEquals("direct_grant flow already bound, direct access grants already on, refresh tokens already off, "
                    + "access and ID tokens already signed with HS256", second.json().at("/clients/mail").asText());
            assertFalse(second.body().contains("created") || second.body().contains("turned"), second.body());
            assertEquals(stateBefore, state(realm), "the second call changed nothing");

            TestRealmAccess paula = new TestRealmAccess(keycloak, realm);
            Http.Response webdav = paula.grant("webdav", "paula", "Paula-password-1");
            assertEquals("RS256", header(webdav.json().get("access_token").asText()).get("alg").asText(), "other clients keep RS256");
            Http.Response created = keycloak.http().json("POST", paula.url("/app-passwords"),
                    Http.bearer(webdav.json().get("access_token").asText()), Map.of("name", "Mail server"));
            assertEquals(201, created.status(), created.body());
            String secret = created.json().get("password").asText();
            String userId = keycloak.adminGet("/" + realm + "/users?exact=true&username=paula").json().get(0).get("id").asText();
            assertEquals(204, keycloak.adminJson("POST", "/" + realm + "/users/" + userId + "/logout", Map.of()).status());

            for (int i = 0; i < 3; i++) {
                Http.Response grant = paula.grant("mail", "paula", secret);
                assertEquals(200, grant.status(), grant.body());
                assertFalse(grant.json().has("refresh_token"), "no refresh token: " + grant.body());
                String access = grant.json().get("access_token").asText();
                assertEquals("HS256", header(access).get("alg").asText());
                assertEquals("HS256", header(grant.json().get("id_token").asText()).get("alg").asText());
                Http.Response userinfo = keycloak.http().get(paula.url("/protocol/openid-connect/userinfo"), Http.bearer(access));
                assertEquals(200, userinfo.status(), userinfo.body());
                assertTrue(userinfo.header("Content-Type").startsWith("application/json"), "unsigned JSON: " + userinfo.header("Content-Type"));
                assertEquals("paula", userinfo.json().get("preferred_username").asText());
                String kid = header(access).get("kid").asText();
                assertFalse(keycloak.http().get(paula.url("/protocol/openid-connect/certs"), Map.of()).body().contains(kid),
                        "the signing key is not published: no other service can accept the token");
            }
            assertEquals(0, keycloak.adminGet("/" + realm + "/users/" + userId + "/sessions").json().size(), "no user session stored");
            assertEquals("RS256", header(paula.grant("webdav", "paula", secret).json().get("access_token").asText()).get("alg").asText(),
                    "the same app password at another client: RS256");
        });
    }

    /**
     * An attacker with a realm admin's app password, through the mail client: the HS256 token is as narrow as
     * any app-password token. Keycloak's account API, its admin API and the set-up endpoint refuse it, while the
     * same admin's account-password token (RS256, another client) is let in.
     */
    @Test
    void aMailTokenOfARealmAdminOpensNoAccountOrAdminApi() {
        inPlainRealm(realm -> {
            assertEquals(200, setup(realm, Map.of("mailClients", List.of("mail"), "directGrantClients", List.of("webdav")),
                    keycloak.admin()).status());
            TestRealmAccess paula = new TestRealmAccess(keycloak, realm);
            String userId = keycloak.adminGet("/" + realm + "/users?exact=true&username=paula").json().get(0).get("id").asText();
            paula.grantRealmManagementRole(userId, "realm-admin");
            String passwordToken = paula.passwordToken("webdav", "paula", "Paula-password-1");
            Http.Response created = keycloak.http().json("POST", paula.url("/app-passwords"), Http.bearer(passwordToken),
                    Map.of("name", "Mail server"));
            assertEquals(201, created.status(), created.body());
            String mailToken = paula.passwordToken("mail", "paula", created.json().get("password").asText());
            assertEquals("HS256", header(mailToken).get("alg").asText());

            String users = keycloak.baseUrl() + "/admin/realms/" + realm + "/users";
            assertEquals(200, keycloak.http().get(users, Http.bearer(passwordToken)).status(), "the admin's own sign-in");
            assertRefused(keycloak.http().get(users, Http.bearer(mailToken)), "admin API");
            assertRefused(setup(realm, Map.of("mailClients", List.of("webdav")), Http.bearer(mailToken)), "set-up endpoint");
            Map<String, String> account = Map.of("Authorization", "Bearer " + mailToken, "Accept", "application/json");
            assertRefused(keycloak.http().get(paula.url("/account"), account), "account API");
            assertRefused(keycloak.http().get(paula.url("/account/credentials"), account), "account API, credentials");
            assertRefused(keycloak.http().json("POST", paula.url("/app-passwords"), Http.bearer(mailToken), Map.of("name", "More")),
                    "no new app password from an app password");
        });
    }

    @Test
    void aClientInBothDirectGrantClientsAndMailClientsIsRefusedAndNothingChanges() {
        inPlainRealm(realm -> {
            String message = refusedWithoutChange(realm, 400,
                    Map.of("directGrantClients", List.of("webdav", "mail"), "mailClients", List.of("mail")));
            assertTrue(message.contains("mail") && message.contains("directGrantClients") && message.contains("mailClients"), message);
        });
    }

    @Test
    void aMissingMailClientIsNamedAndNothingChanges() {
        inPlainRealm(realm -> {
            String message = refusedWithoutChange(realm, 404,
                    Map.of("mailClients", List.of("mail", "dovecot"), "directGrantClients", List.of("webdav")));
            assertTrue(message.contains("dovecot"), message);
        });
    }

    /** Sends a set-up the endpoint must refuse with {@code status}; checks nothing changed and returns the error message. */
    /**
     * The answer says what each mail server needs (client id, secret or not, the URLs) and warns when a client's
     * type does not fit the Dovecot version named: 2.3 sends only client_id, 2.4 also client_secret. A confidential
     * client works as a mail client too: its grant with the secret takes an app password.
     */
    @Test
    void mailClientsOfEitherTypeAreSetUpAndTheAnswerSaysWhatDovecotNeeds() {
        inPlainRealm(realm -> {
            Http.Response confidential = keycloak.adminJson("POST", "/" + realm + "/clients", Map.of("clientId", "imap24",
                    "publicClient", false, "secret", "imap24-secret"));
            assertEquals(201, confidential.status(), confidential.body());
            Http.Response answer = setup(realm, Map.of("mailClients", List.of("mail", "imap24"), "dovecot", "2.3"), keycloak.admin());
            assertEquals(200, answer.status(), answer.body());
            JsonNode servers = answer.json().get("mailServers");
            JsonNode mail = servers.get(0);
            JsonNode imap24 = servers.get(1);
            assertEquals("mail", mail.get("clientId").asText());
            assertFalse(mail.get("clientSecretNeeded").asBoolean());
            assertTrue(mail.get("tokenUrl").asText().endsWith("/realms/" + realm + "/protocol/openid-connect/token"), mail.toString());
            assertTrue(mail.get("userinfoUrl").asText().endsWith("/protocol/openid-connect/userinfo"), mail.toString());
            assertTrue(mail.path("warning").isMissingNode(), "a public client fits 2.3: " + mail);
            assertTrue(imap24.get("clientSecretNeeded").asBoolean());
            assertTrue(imap24.get("warning").asText().contains("unauthorized_client"), imap24.toString());

            // The confidential mail client works with its secret, as Dovecot 2.4 sends it.
            TestRealmAccess paula = new TestRealmAccess(keycloak, realm);
            String token = paula.passwordToken("mail", "paula", "Paula-password-1");
            Http.Response created = keycloak.http().json("POST", keycloak.baseUrl() + "/realms/" + realm + "/app-passwords",
                    Http.bearer(token), Map.of("name", "Dovecot 2.4"));
            assertEquals(201, created.status(), created.body());
            Http.Response grant = keycloak.http().form(keycloak.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", Map.of(),
                    Http.params("grant_type", "password", "client_id", "imap24", "client_secret", "imap24-secret", "scope", "openid",
                            "username", "paula", "password", created.json().get("password").asText()));
            assertEquals(200, grant.status(), grant.body());
            assertTrue(grant.json().path("refresh_token").isMissingNode(), "the mail login: no refresh token");

            assertEquals(400, setup(realm, Map.of("mailClients", List.of("mail"), "dovecot", "3.0"), keycloak.admin()).status());
        });
    }

    private String refusedWithoutChange(String realm, int status, Map<String, Object> body) {
        JsonNode before = setUpState(realm);
        Http.Response refused = setup(realm, body, keycloak.admin());
        assertEquals(status, refused.status(), refused.body());
        assertEquals(before, setUpState(realm), "nothing changed");
        return refused.json().get("errorMessage").asText();
    }

    /** {@link #state} of a realm the set-up has not touched yet (no app-password flow, no HS256 key). */
    private JsonNode setUpState(String realm) {
        String flows = keycloak.adminGet("/" + realm + "/authentication/flows").body();
        assertFalse(flows.contains("app password"), "no app-password flow: " + flows);
        assertTrue(keyProviders(realm, "hmac-generated").stream().noneMatch(k -> "HS256".equals(k.at("/config/algorithm/0").asText())),
                "no HS256 key");
        return state(realm);
    }

    /**
     * What the set-up may change: the realm's flows and key providers (keyed by id) and, of both clients, the
     * settings it touches. Not whole client representations: their scope lists come in no fixed order
     * (PostgreSQL returned them reordered between two reads).
     */
    private JsonNode state(String realm) {
        com.fasterxml.jackson.databind.node.ObjectNode state = Http.JSON.createObjectNode();
        state.set("flows", byId(keycloak.adminGet("/" + realm + "/authentication/flows").json()));
        state.set("keys", byId(keycloak.adminGet("/" + realm + "/components?type=org.keycloak.keys.KeyProvider").json()));
        for (String clientId : List.of("mail", "webdav")) {
            JsonNode client = client(realm, clientId);
            com.fasterxml.jackson.databind.node.ObjectNode touched = state.putObject(clientId);
            touched.set("attributes", client.get("attributes"));
            touched.set("authenticationFlowBindingOverrides", client.get("authenticationFlowBindingOverrides"));
            touched.set("directAccessGrantsEnabled", client.get("directAccessGrantsEnabled"));
        }
        return state;
    }

    /** An array of representations as an object keyed by their ids: compared without regard to order. */
    private static JsonNode byId(JsonNode array) {
        com.fasterxml.jackson.databind.node.ObjectNode byId = Http.JSON.createObjectNode();
        array.forEach(item -> byId.set(item.get("id").asText(), item));
        return byId;
    }

    private JsonNode client(String realm, String clientId) {
        return keycloak.adminGet("/" + realm + "/clients?clientId=" + clientId).json().get(0);
    }

    private List<JsonNode> keyProviders(String realm, String providerId) {
        List<JsonNode> providers = new java.util.ArrayList<>();
        keycloak.adminGet("/" + realm + "/components?type=org.keycloak.keys.KeyProvider").json().forEach(component -> {
            if (providerId.equals(component.get("providerId").asText())) {
                providers.add(component);
            }
        });
        return providers;
    }

    /** A JWT's header, read without checking the signature. */
    private static JsonNode header(String jwt) {
        try {
            return Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRefused(Http.Response response, String where) {
        assertTrue(response.status() == 401 || response.status() == 403, where + ": " + response.status() + " " + response.body());
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
            return passwordToken("mail", username, password);
        }

        String passwordToken(String clientId, String username, String password) {
            Http.Response response = grant(clientId, username, password);
            assertEquals(200, response.status(), response.body());
            return response.json().get("access_token").asText();
        }

        /** Gives a user a role of the realm's {@code realm-management} client, as TestRealm does. */
        void grantRealmManagementRole(String userId, String role) {
            String clientUuid = keycloak.adminGet("/" + realm + "/clients?clientId=realm-management").json().get(0).get("id").asText();
            JsonNode roleRep = keycloak.adminGet("/" + realm + "/clients/" + clientUuid + "/roles/" + role).json();
            assertEquals(204, keycloak.adminJson("POST", "/" + realm + "/users/" + userId + "/role-mappings/clients/" + clientUuid,
                    List.of(Map.of("id", roleRep.get("id").asText(), "name", role))).status());
        }
    }
}
