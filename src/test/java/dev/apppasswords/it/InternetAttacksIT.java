package dev.apppasswords.it;

import java.security.SecureRandom;
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
 * The attack suite of "safe on the open internet": each test is one attack a stranger or a thief of one app
 * password tried against a product exposed through IMAP, SMTP, forward-auth and HTTP Basic, named after it.
 * Attacks that spray wrong app passwords use a realm of their own: the throttle counts per realm and source,
 * and every request here comes from 127.0.0.1.
 */
class InternetAttacksIT extends RealmIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JsonNode aliceAppPassword;

    @Override
    protected String realmPrefix() {
        return "attacks";
    }

    @BeforeAll
    void setUp() {
        aliceAppPassword = realm.newAppPassword(realm.userToken(), "Laptop");
    }

    /** A random secret in the product's format: 24 letters in groups of four. */
    private static String randomAppPassword() {
        StringBuilder guess = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                guess.append(' ');
            }
            guess.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return guess.toString();
    }

    private String authorize(String responseType) {
        return realm.url("/protocol/openid-connect/auth") + "?" + Http.encode(new java.util.LinkedHashMap<>(Map.of(
                "client_id", "cli", "response_type", responseType, "redirect_uri", "http://127.0.0.1/cli-callback",
                "scope", "openid", "nonce", "n-1")));
    }

    // Finding 1: the implicit and hybrid flows behind the HTTP Basic step handed out full tokens.
    @Test
    void implicitOrHybridLoginWithABasicAppPasswordGetsNoToken() {
        Map<String, String> basic = Map.of("Authorization", TestRealm.basic(TestRealm.USER, aliceAppPassword.get("password").asText()));
        for (String responseType : new String[] {"token", "id_token token", "code id_token", "code token", "id_token", "code"}) {
            Http.Response answer = keycloak.http().get(authorize(responseType), basic);
            assertEquals(400, answer.status(), responseType + " -> " + answer);
            String location = answer.header("Location");
            assertTrue(location == null || !location.contains("access_token") && !location.contains("code="), location);
            assertTrue(answer.body().contains("grant_type=password"), answer.body());
        }
    }

    // Finding 2: any application of the realm could mint a lasting single-factor credential.
    @Test
    void anotherApplicationsTokenCannotCreateAnAppPassword() {
        Http.Response created = keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of("clientId", "shop",
                "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false));
        assertEquals(201, created.status(), created.body());
        Http.Response grant = realm.grant("shop", TestRealm.USER, realm.password(), realm.currentOtp());
        assertEquals(200, grant.status(), grant.body());
        String shopToken = grant.json().get("access_token").asText();
        assertTrue(TestRealm.claims(shopToken).get("aud").toString().contains("account"), "a full manage-account token");

        Http.Response mint = realm.createAppPassword(shopToken, Map.of("name", "Backdoor"));
        assertEquals(403, mint.status(), mint.body());
        assertTrue(mint.body().contains("account console"), mint.body());
        assertFalse(mint.body().contains("password\""), mint.body());
        assertEquals(200, realm.listAppPasswords(shopToken).status(), "reading one's own list is still allowed");
        assertFalse(realm.listAppPasswords(realm.userToken()).body().contains("Backdoor"), "nothing was created");
        assertEquals(201, realm.createAppPassword(realm.userToken(), Map.of("name", "Named client")).status(),
                "control: a client the policy names may create");
    }

    // Finding 3: a refresh token outlived the realm switching app passwords off, and the owner losing eligibility.
    @Test
    void refreshAfterTheRealmSwitchedAppPasswordsOffIsRefusedAndEndsTheSession() {
        String secret = realm.newAppPassword(realm.userToken(), "Sync box").get("password").asText();
        Http.Response grant = realm.grant("sync", secret);
        assertEquals(200, grant.status(), grant.body());
        assertEquals(200, realm.refresh("sync", grant).status(), "control: refresh works while allowed");
        try {
            assertEquals(204, realm.configureAppPasswordAction(Map.of("app_passwords_enabled", "false")).status());
            Http.Response refused = realm.refresh("sync", grant);
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.body().contains("turned off"), refused.body());
        } finally {
            assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());
        }
        assertEquals(400, realm.refresh("sync", grant).status(), "the session ended: switching back on does not revive it");
        assertEquals(200, realm.grant("sync", secret).status(), "a new login works again");
    }

    @Test
    void refreshAfterTheOwnerLostEligibilityIsRefused() {
        String secret = realm.newAppPassword(realm.userToken(), "Calendar").get("password").asText();
        Http.Response grant = realm.grant("sync", secret);
        assertEquals(200, grant.status(), grant.body());
        try {
            assertEquals(204, realm.configureAppPasswordAction(Map.of("allowed_role", "nobody-has-this-role")).status());
            Http.Response refused = realm.refresh("sync", grant);
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.body().contains("no longer allowed"), refused.body());
        } finally {
            assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());
        }
    }

    // Finding 4: an HTTP Basic login could be led into Keycloak's profile form.
    @Test
    void basicLoginOfAnIncompleteProfileGetsNoFormAndNoToken() {
        String userId = realm.createUser("ivan", "Ivan-password-1");
        String secret = realm.newAppPasswordOf("ivan", "Ivan-password-1", "Registry");
        Http.Response emptied = keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId,
                Map.of("firstName", "", "lastName", ""));
        assertEquals(204, emptied.status(), emptied.body());
        Http.Response docker = keycloak.http().get(realm.url("/protocol/docker-v2/auth")
                + "?service=registry&scope=repository:team/app:pull&account=ivan", Map.of("Authorization", TestRealm.basic("ivan", secret)));
        assertEquals(403, docker.status(), docker.body());
        assertFalse(docker.body().contains("token"), docker.body());
        assertFalse(docker.body().toLowerCase().contains("<form"), docker.body());
    }

    // Finding 5: thirty wrong app passwords from anyone locked the owner out of everything.
    @Test
    void thirtyWrongAppPasswordsAtEveryDoorLockNobodyOutAndThrottleTheSource() {
        TestRealm sprayed = TestRealm.create(keycloak, "sprayed");
        try {
            assertEquals(204, keycloak.adminJson("PUT", "/" + sprayed.name(), Map.of("bruteForceProtected", true, "failureFactor", 3)).status());
            String ownerId = sprayed.userId(TestRealm.USER);
            String secret = sprayed.newAppPassword(sprayed.userToken(), "Phone").get("password").asText();
            String forwardAuth = sprayed.url("/app-passwords/forward-auth");
            String docker = sprayed.url("/protocol/docker-v2/auth") + "?service=registry&scope=repository:team/app:pull";
            // The owner's devices signed in before the spray, as they do all day.
            assertEquals(200, sprayed.grant("mail", secret).status());
            assertEquals(200, keycloak.http().get(forwardAuth, Map.of("Authorization", TestRealm.basic(TestRealm.USER, secret))).status());

            int throttled = 0;
            for (int i = 0; i < 30; i++) {
                String guess = randomAppPassword();
                int grant = sprayed.grant("mail", TestRealm.USER, guess, null).status();
                int proxy = keycloak.http().get(forwardAuth, Map.of("Authorization", TestRealm.basic(TestRealm.USER, guess))).status();
                int registry = keycloak.http().get(docker, Map.of("Authorization", TestRealm.basic(TestRealm.USER, guess))).status();
                assertTrue(grant == 400 || grant == 429, "grant " + grant);
                assertTrue(proxy == 401 || proxy == 429, "forward-auth " + proxy);
                assertTrue(registry == 401 || registry == 429, "docker " + registry);
                throttled += (grant == 429 ? 1 : 0) + (proxy == 429 ? 1 : 0) + (registry == 429 ? 1 : 0);
            }
            assertTrue(throttled >= 60, "the source is throttled after its burst: " + throttled + " of 90 answered 429");
            Http.Response last = sprayed.grant("mail", TestRealm.USER, randomAppPassword(), null);
            assertEquals(429, last.status(), last.body());
            assertNotNull(last.header("Retry-After"));

            // One wrong account password is counted as the first failure: none of the 90 guesses was.
            sprayed.failCounted("mail", TestRealm.USER, "not-the-password", ownerId, 1);
            JsonNode status = sprayed.bruteForceStatus(ownerId);
            assertEquals(1, status.get("numFailures").asInt(), "no guess counted toward the lockout: " + status);
            assertFalse(status.get("disabled").asBoolean(), status.toString());
            assertEquals(200, sprayed.grant("mail", TestRealm.USER, sprayed.password(), sprayed.currentOtp()).status(),
                    "the owner's own sign-in (password + OTP) works");
            assertEquals(200, sprayed.grant("mail", secret).status(), "the owner's real app password works");
            assertEquals(200, keycloak.http().get(forwardAuth, Map.of("Authorization", TestRealm.basic(TestRealm.USER, secret))).status());
            assertEquals(200, keycloak.http().get(docker, Map.of("Authorization", TestRealm.basic(TestRealm.USER, secret))).status());
        } finally {
            sprayed.delete();
        }
    }

    @Test
    void aThousandWrongAppPasswordsAreAnsweredFastAndLockNobodyOut() {
        TestRealm sprayed = TestRealm.create(keycloak, "sprayed-1000");
        try {
            assertEquals(204, keycloak.adminJson("PUT", "/" + sprayed.name(), Map.of("bruteForceProtected", true, "failureFactor", 3)).status());
            String ownerId = sprayed.userId(TestRealm.USER);
            String secret = sprayed.newAppPassword(sprayed.userToken(), "Phone").get("password").asText();
            assertEquals(200, sprayed.grant("mail-parallel", secret).status());
            long started = System.nanoTime();
            int tooMany = 0;
            for (int i = 0; i < 1000; i++) {
                tooMany += sprayed.grant("mail-parallel", TestRealm.USER, randomAppPassword(), null).status() == 429 ? 1 : 0;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("[spray] 1000 wrong app passwords at one mail client in %.1f s, %d answered 429%n", seconds, tooMany);
            assertTrue(tooMany >= 980, tooMany + " of 1000 throttled");
            sprayed.failCounted("mail", TestRealm.USER, "not-the-password", ownerId, 1);
            assertEquals(1, sprayed.bruteForceStatus(ownerId).get("numFailures").asInt(), "none of the 1000 counted");
            assertEquals(200, sprayed.grant("mail-parallel", secret).status(), "the owner's device still signs in");
            assertEquals(200, sprayed.grant("mail", TestRealm.USER, sprayed.password(), sprayed.currentOtp()).status());
        } finally {
            sprayed.delete();
        }
    }

    @Test
    void aWrongAccountPasswordStillCountsWhereTheAccountPasswordIsAccepted() {
        String userId = realm.createUser("walt", "Walt-password-1");
        Http.Response wrong = realm.grant("mail", "walt", "not-walts-password", null);
        assertEquals(400, wrong.status());
        realm.awaitFailures(userId, 1);
    }

    // Finding 6: removed-device records grew without bound (create, use, delete in a loop).
    @Test
    void removedDeviceRecordsPerUserAreBounded() {
        String userId = realm.createUser("rudi", "Rudi-password-1");
        String token = realm.userToken("rudi", "Rudi-password-1", null);
        String first = null;
        String last = null;
        for (int i = 0; i < 42; i++) {
            JsonNode created = realm.newAppPassword(token, "Device " + i);
            String secret = created.get("password").asText();
            assertEquals(200, realm.grant("sync", "rudi", secret, null).status());
            awaitLastUse(token, created.get("id").asText());
            assertEquals(204, realm.deleteAppPassword(token, created.get("id").asText()).status());
            first = first == null ? secret : first;
            last = secret;
        }
        Http.Response newest = realm.grant("sync", "rudi", last, null);
        assertTrue(newest.body().contains("was deleted"), "the newest removal is still recognised: " + newest.body());
        Http.Response oldest = realm.grant("sync", "rudi", first, null);
        assertEquals(400, oldest.status());
        assertFalse(oldest.body().contains("was deleted"), "the oldest of 42 removals was forgotten (at most 40 kept): " + oldest.body());
        assertNotNull(userId);
    }

    private void awaitLastUse(String token, String id) {
        for (int i = 0; i < 100; i++) {
            for (JsonNode listed : realm.listAppPasswords(token).json()) {
                if (listed.get("id").asText().equals(id) && listed.hasNonNull("lastUsedAt")) {
                    return;
                }
            }
            TestRealm.sleep(50);
        }
        throw new AssertionError("the use of " + id + " was never recorded");
    }

    // Finding 7: manage-realm alone rebound Keycloak's own admin-cli.
    @Test
    void setUpWithoutTheRightToManageTheClientChangesNothing() {
        String adminId = realm.createUser("opal", "Opal-password-1");
        realm.grantRealmManagementRole(adminId, "manage-realm");
        String token = realm.userToken("opal", "Opal-password-1", null);
        String adminCli = setUpFields(keycloak.adminGet("/" + realm.name() + "/clients?clientId=admin-cli").json().get(0));
        Http.Response refused = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords/setup",
                Http.bearer(token), Map.of("mailClients", java.util.List.of("admin-cli")));
        assertEquals(403, refused.status(), refused.body());
        assertEquals(adminCli, setUpFields(keycloak.adminGet("/" + realm.name() + "/clients?clientId=admin-cli").json().get(0)),
                "admin-cli is unchanged");

        realm.grantRealmManagementRole(adminId, "manage-clients");
        String both = realm.userToken("opal", "Opal-password-1", null);
        Http.Response allowed = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords/setup",
                Http.bearer(both), Map.of("directGrantClients", java.util.List.of("sync")));
        assertEquals(200, allowed.status(), allowed.body());
    }

    /**
     * What the set-up changes on a client: its flow overrides, attributes (refresh tokens, signature algorithms) and
     * direct access grants. Not its scope lists, which PostgreSQL and MariaDB return in varying order.
     */
    private static String setUpFields(JsonNode client) {
        return client.get("authenticationFlowBindingOverrides") + " " + client.get("attributes") + " "
                + client.get("directAccessGrantsEnabled");
    }

    // Finding 8: a realm whose admin never set anything up had app passwords on.
    @Test
    void aRealmNobodySetUpHasAppPasswordsOffUntilItsAdminTurnsThemOn() {
        String name = "fresh-" + Long.toString(System.nanoTime(), 36);
        Http.Response made = keycloak.adminJson("POST", "", Map.of("realm", name, "enabled", true,
                "users", java.util.List.of(Map.of("username", "una", "enabled", true, "email", "una@example.org", "emailVerified", true,
                        "firstName", "Una", "lastName", "User", "realmRoles", java.util.List.of("default-roles-" + name),
                        "credentials", java.util.List.of(Map.of("type", "password", "value", "Una-password-1")))),
                "clients", java.util.List.of(Map.of("clientId", "tools", "publicClient", true, "directAccessGrantsEnabled", true))));
        assertEquals(201, made.status(), made.body());
        try {
            String base = keycloak.baseUrl() + "/realms/" + name;
            String token = keycloak.http().form(base + "/protocol/openid-connect/token", Map.of(), Http.params("grant_type", "password",
                    "client_id", "tools", "username", "una", "password", "Una-password-1")).json().get("access_token").asText();
            Http.Response create = keycloak.http().json("POST", base + "/app-passwords", Http.bearer(token), Map.of("name", "Phone"));
            assertEquals(403, create.status(), create.body());
            assertTrue(create.body().contains("not turned on"), create.body());

            String policy = "/" + name + "/authentication/required-actions/create-app-password/config";
            assertEquals(204, keycloak.adminJson("PUT", policy, Map.of("config",
                    Map.of("app_passwords_enabled", "true", "creation_clients", "tools"))).status());
            Http.Response created = keycloak.http().json("POST", base + "/app-passwords", Http.bearer(token), Map.of("name", "Phone"));
            assertEquals(201, created.status(), created.body());
            Map<String, String> basic = Map.of("Authorization", TestRealm.basic("una", created.json().get("password").asText()));
            assertEquals(200, keycloak.http().get(base + "/app-passwords/forward-auth", basic).status());

            assertEquals(204, keycloak.adminJson("PUT", policy, Map.of("config", Map.of("app_passwords_enabled", "false"))).status());
            assertEquals(401, keycloak.http().get(base + "/app-passwords/forward-auth", basic).status(), "an explicit off stays off");
        } finally {
            keycloak.adminDelete("/" + name);
        }
    }

    // Finding 9: a visitor could pick the client restriction and supply the e-mail header.
    @Test
    void aVisitorCannotAddASecondClientIdOrKeepTheirOwnEmailHeader() {
        Map<String, String> basic = Map.of("Authorization", TestRealm.basic(TestRealm.USER, aliceAppPassword.get("password").asText()));
        Http.Response twice = keycloak.http().get(realm.url("/app-passwords/forward-auth") + "?client_id=mail&client_id=sync", basic);
        assertEquals(400, twice.status(), twice.body());

        String userId = realm.createUser("una-unverified", "Una-password-1");
        String secret = realm.newAppPasswordOf("una-unverified", "Una-password-1", "WebDAV");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId, Map.of("emailVerified", false)).status());
        Http.Response ok = keycloak.http().get(realm.url("/app-passwords/forward-auth"),
                Map.of("Authorization", TestRealm.basic("una-unverified", secret)));
        assertEquals(200, ok.status(), ok.body());
        assertNotNull(ok.headers("X-Auth-Email"), "the header is always sent");
        assertEquals(1, ok.headers("X-Auth-Email").size(), ok.headers("X-Auth-Email").toString());
        assertEquals("", ok.header("X-Auth-Email"), "empty for an unverified address");
    }
}
