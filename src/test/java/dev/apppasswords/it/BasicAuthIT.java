package dev.apppasswords.it;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP Basic clients: the Docker token request ({@code docker login}), a command-line client sending
 * Basic credentials to the authorization endpoint, and the forward-auth endpoint for reverse proxies.
 */
class BasicAuthIT extends RealmIT {

    private String appPassword;
    private String appPasswordId;

    @Override
    protected String realmPrefix() {
        return "basic";
    }

    @BeforeAll
    void setUp() {
        JsonNode created = realm.newAppPassword(realm.userToken(), "Docker");
        appPassword = created.get("password").asText();
        appPasswordId = created.get("id").asText();
    }

    private Http.Response dockerToken(String authorization) {
        String url = realm.url("/protocol/docker-v2/auth") + "?service=registry&scope=repository:team/app:pull,push&account=" + TestRealm.USER;
        return keycloak.http().get(url, authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    @Test
    void dockerLoginGetsARegistryTokenWithAnAppPassword() {
        Http.Response response = dockerToken(TestRealm.basic(TestRealm.USER, appPassword));
        assertEquals(200, response.status(), response.body());
        assertTrue(response.json().get("token").asText().split("\\.").length == 3, response.body());
    }

    @Test
    void dockerLoginRefusesTheMainPasswordAndWrongOrMissingCredentials() {
        for (String authorization : new String[] {TestRealm.basic(TestRealm.USER, realm.password()),
                TestRealm.basic(TestRealm.USER, "abcd efgh ijkl mnop qrst uvwx"), TestRealm.basic("nobody", appPassword), null}) {
            Http.Response response = dockerToken(authorization);
            assertEquals(401, response.status(), authorization + " -> " + response.body());
            assertTrue(response.header("WWW-Authenticate").startsWith("Basic realm=\"" + realm.name() + "\""));
        }
    }

    private String authorize(String clientId, String responseType, String redirectUri, String... extra) {
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("client_id", clientId, "response_type", responseType,
                "redirect_uri", redirectUri, "scope", "openid", "nonce", "n-1"));
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        return realm.url("/protocol/openid-connect/auth") + "?" + Http.encode(params);
    }

    /**
     * Attack (finding 1 of "safe on the open internet"): an OpenID Connect client whose browser flow is the HTTP
     * Basic step handed out an access token in the redirect (implicit flow) that Keycloak's account and admin APIs
     * accepted. The Basic step now refuses OpenID Connect logins whatever the response type and points to the
     * token endpoint, whose tokens are narrow; nothing is signed in, so no cookie or session is left behind.
     */
    @Test
    void commandLineClientAtTheAuthorizationEndpointIsSentToTheTokenEndpoint() {
        String userId = realm.userId(TestRealm.USER);
        int sessionsBefore = keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size();
        String auth = authorize("cli", "token", "http://127.0.0.1/cli-callback");
        Http.Response withAppPassword = keycloak.http().get(auth, Map.of("Authorization", TestRealm.basic(TestRealm.USER, appPassword)));
        assertEquals(400, withAppPassword.status(), withAppPassword.body());
        assertNull(withAppPassword.header("Location"));
        assertTrue(withAppPassword.body().contains("grant_type=password"), withAppPassword.body());
        assertEquals(sessionsBefore, keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size(),
                "no user session stored");
        assertEquals(200, realm.grant("mail", appPassword).status(), "the token endpoint takes the app password");
    }

    @Test
    void aBasicLoginCannotIssueACodeOrStartAnAccountAction() {
        Map<String, String> basic = Map.of("Authorization", TestRealm.basic(TestRealm.USER, appPassword));
        Http.Response code = keycloak.http().get(authorize("cli", "code", "http://127.0.0.1/cli-callback"), basic);
        assertEquals(400, code.status(), code.body());
        assertTrue(code.body().contains("grant_type=password"), code.body());
        assertNull(code.header("Location"));

        Http.Response action = keycloak.http().get(authorize("cli", "token", "http://127.0.0.1/cli-callback",
                "kc_action", "UPDATE_PASSWORD"), basic);
        assertEquals(400, action.status(), action.body());
        assertFalse(action.body().contains("password-new"), "no password change form");
    }

    private Http.Response forwardAuth(String authorization, String query) {
        return keycloak.http().get(realm.url("/app-passwords/forward-auth") + query,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    @Test
    void forwardAuthNamesTheUserAndTheAppPassword() {
        Http.Response ok = forwardAuth(TestRealm.basic(TestRealm.USER, appPassword), "");
        assertEquals(200, ok.status());
        assertEquals(realm.userId(TestRealm.USER), ok.header("X-Auth-User-Id"));
        assertEquals(TestRealm.USER, ok.header("X-Auth-Username"));
        assertEquals("alice@example.org", ok.header("X-Auth-Email"));
        assertEquals(appPasswordId, ok.header("X-Auth-App-Password-Id"));
        assertEquals(200, forwardAuth(TestRealm.basic("alice@example.org", appPassword.replace(" ", "")), "").status(),
                "email as username, password without spaces");
        assertEquals(200, forwardAuth(TestRealm.basic(TestRealm.USER, appPassword), "?client_id=mail").status());
    }

    @Test
    void forwardAuthRefusesEverythingElse() {
        String[] refused = {null, "Bearer x", "Basic !!!", TestRealm.basic(TestRealm.USER, realm.password()),
                TestRealm.basic(TestRealm.USER, "abcd efgh ijkl mnop qrst uvwx"), TestRealm.basic("nobody", appPassword)};
        for (String authorization : refused) {
            Http.Response response = forwardAuth(authorization, "");
            assertEquals(401, response.status(), String.valueOf(authorization));
            assertTrue(response.header("WWW-Authenticate").startsWith("Basic realm="));
            assertNull(response.header("X-Auth-User-Id"));
        }
        assertEquals(401, forwardAuth(TestRealm.basic(TestRealm.USER, appPassword), "?client_id=no-such-client").status());
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients",
                Map.of("clientId", "retired-proxy", "enabled", false, "publicClient", true)).status());
        assertEquals(401, forwardAuth(TestRealm.basic(TestRealm.USER, appPassword), "?client_id=retired-proxy").status(),
                "a disabled client lets nobody in");
    }

    @Test
    void forwardAuthCreatesNoSessionsAndADeletedAppPasswordFailsAtOnce() {
        String userId = realm.createUser("lena", "Lena-password-1");
        String token = realm.userToken("lena", "Lena-password-1", null);
        int sessionsBefore = keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size();
        JsonNode created = realm.newAppPassword(token, "WebDAV");
        String password = created.get("password").asText();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, forwardAuth(TestRealm.basic("lena", password), "").status());
        }
        assertEquals(sessionsBefore, keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size());
        JsonNode listed = realm.listAppPasswords(token).json().get(0);
        assertNotNull(listed.get("lastUsedAt").asText());

        assertEquals(204, realm.deleteAppPassword(token, created.get("id").asText()).status());
        assertEquals(401, forwardAuth(TestRealm.basic("lena", password), "").status());
    }

    /** Wrong app passwords at forward-auth never count toward the account's lockout (see InternetAttacksIT). */
    @Test
    void forwardAuthFailuresNeverLockTheOwnerOut() {
        String userId = realm.createUser("max", "Max-password-1");
        String password = realm.newAppPasswordOf("max", "Max-password-1", "Proxy");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, forwardAuth(TestRealm.basic("max", "wrong-" + i), "").status());
        }
        JsonNode status = realm.bruteForceStatus(userId);
        assertEquals(0, status.get("numFailures").asInt(), status.toString());
        assertFalse(status.get("disabled").asBoolean(), status.toString());
        assertEquals(200, forwardAuth(TestRealm.basic("max", password), "").status(), "the right app password works");
    }
}
