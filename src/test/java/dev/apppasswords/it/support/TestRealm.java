package dev.apppasswords.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A realm of its own for one test class, imported from {@code realms/app-passwords-realm.json}: brute
 * force detection on (10 failures, no quick-login lock), user {@code alice} with a password and OTP, and the clients
 * <ul>
 *   <li>{@code mail}: direct grant bound to "app password, or password + OTP";</li>
 *   <li>{@code sync}: direct grant bound to "app password alone" (the app-password step finds the user: no
 *       refusal of a login that follows another login of the same user, see ParallelLoginsIT);</li>
 *   <li>{@code sync-username-first}: "app passwords only" after Keycloak's username step;</li>
 *   <li>{@code mail-transient}: transient sessions, no refresh tokens (the mail servers' cheapest login);</li>
 *   <li>{@code sync-transient}: like sync, with transient sessions;</li>
 *   <li>{@code scripts}: confidential, with a service account;</li>
 *   <li>{@code web}: browser login with the realm's default browser flow;</li>
 *   <li>{@code mail-parallel}: "direct grant app password first" (the app-password step finds the user);</li>
 *   <li>{@code sync-parallel}: "app password alone";</li>
 *   <li>{@code cli}: browser flow overridden by "http basic with app passwords";</li>
 *   <li>{@code registry}: a Docker registry (docker-v2); the realm's Docker authentication flow is
 *       "http basic with app passwords".</li>
 * </ul>
 */
public final class TestRealm {

    public static final String USER = "alice";

    private final Keycloak keycloak;
    private final String name;
    private final String password;
    private final String otpSecret;

    private TestRealm(Keycloak keycloak, String name) {
        this(keycloak, name, "Main-" + UUID.randomUUID(), UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    private TestRealm(Keycloak keycloak, String name, String password, String otpSecret) {
        this.keycloak = keycloak;
        this.name = name;
        this.password = password;
        this.otpSecret = otpSecret;
    }

    /** The same realm, user and secrets as seen through another Keycloak node of the same cluster. */
    public TestRealm on(Keycloak node) {
        return new TestRealm(node, name, password, otpSecret);
    }

    public static TestRealm create(Keycloak keycloak, String prefix) {
        return create(keycloak, prefix, template());
    }

    /**
     * A realm from another template with the same placeholders: {@code ${realm}}, {@code ${password}},
     * {@code ${otpSecret}}, and {@code ${flow...}} for flow ids (each name gets one random id). UpgradeIT
     * imports the first version's template this way.
     */
    public static TestRealm create(Keycloak keycloak, String prefix, String template) {
        TestRealm realm = new TestRealm(keycloak, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, String> flowIds = new java.util.HashMap<>();
        String json = java.util.regex.Pattern.compile("\\$\\{flow\\w*}").matcher(template
                        .replace("${realm}", realm.name)
                        .replace("${password}", realm.password)
                        .replace("${otpSecret}", realm.otpSecret))
                .replaceAll(m -> flowIds.computeIfAbsent(m.group(), k -> UUID.randomUUID().toString()));
        Http.Response created = keycloak.adminJson("POST", "", json);
        if (created.status() != 201) {
            throw new IllegalStateException("realm import failed: " + created);
        }
        return realm;
    }

    private static String template() {
        try (InputStream in = TestRealm.class.getResourceAsStream("/realms/app-passwords-realm.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String password() {
        return password;
    }

    public String url(String path) {
        return keycloak.baseUrl() + "/realms/" + name + path;
    }

    public Keycloak keycloak() {
        return keycloak;
    }

    public void delete() {
        keycloak.adminDelete("/" + name);
    }

    /** {@code grant_type=password} at the token endpoint. {@code otp} may be null. */
    public Http.Response grant(String clientId, String username, String password, String otp) {
        return keycloak.http().form(url("/protocol/openid-connect/token"), Map.of(),
                Http.params("grant_type", "password", "client_id", clientId, "scope", "openid",
                        "username", username, "password", password, "otp", otp));
    }

    /** Uses the refresh token of an earlier grant's response. */
    public Http.Response refresh(String clientId, Http.Response grant) {
        return keycloak.http().form(url("/protocol/openid-connect/token"), Map.of(),
                Http.params("grant_type", "refresh_token", "client_id", clientId,
                        "refresh_token", grant.json().get("refresh_token").asText()));
    }

    /** A direct grant asking for an offline token ({@code scope=openid offline_access}). */
    public Http.Response offlineGrant(String clientId, String username, String password) {
        return keycloak.http().form(url("/protocol/openid-connect/token"), Map.of(),
                Http.params("grant_type", "password", "client_id", clientId, "scope", "openid offline_access",
                        "username", username, "password", password));
    }

    public Http.Response userinfo(String accessToken) {
        return keycloak.http().get(url("/protocol/openid-connect/userinfo"), Http.bearer(accessToken));
    }

    /** The claims of a JWT (access, refresh or ID token), read without checking the signature. */
    public static JsonNode claims(String jwt) {
        try {
            return Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Http.Response grant(String clientId, String password) {
        return grant(clientId, USER, password, null);
    }

    public String currentOtp() {
        return Totp.now(otpSecret);
    }

    /**
     * Alice's password + OTP grant right after one of her logins failed. Keycloak records a failure
     * asynchronously and refuses (without counting) a login of the same user that overlaps it, so this
     * retries for up to 5 s while the answer is 400.
     */
    public Http.Response grantWithOtpAfterAFailure(String clientId) {
        Http.Response response = grant(clientId, USER, password, currentOtp());
        for (int i = 0; i < 20 && response.status() == 400; i++) {
            sleep(250);
            response = grant(clientId, USER, password, currentOtp());
        }
        return response;
    }

    /** Alice's access token, obtained with her password and OTP, as the account console would hold it. */
    public String userToken() {
        return userToken(USER, password, currentOtp());
    }

    public String userToken(String username, String password, String otp) {
        Http.Response response = grant("mail", username, password, otp);
        if (response.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + response);
        }
        return response.json().get("access_token").asText();
    }

    /** Signs in as a user without OTP and creates an app password for them; returns its secret. */
    public String newAppPasswordOf(String username, String password, String name) {
        return newAppPassword(userToken(username, password, null), name).get("password").asText();
    }

    public Http.Response listAppPasswords(String token) {
        return keycloak.http().get(url("/app-passwords"), Http.bearer(token));
    }

    public Http.Response createAppPassword(String token, Object body) {
        return keycloak.http().json("POST", url("/app-passwords"), Http.bearer(token), body);
    }

    /** Creates an app password named {@code name} and returns the 201 body (id, name, createdAt, password). */
    public JsonNode newAppPassword(String token, String name) {
        Http.Response response = createAppPassword(token, Map.of("name", name));
        if (response.status() != 201) {
            throw new IllegalStateException("creating app password failed: " + response);
        }
        return response.json();
    }

    /** The admin API's brute-force status of a user (numFailures, disabled, ...). */
    public JsonNode bruteForceStatus(String userId) {
        return keycloak.adminGet("/" + name + "/attack-detection/brute-force/users/" + userId).json();
    }

    /** Waits (up to 5 s) until Keycloak, which records failures asynchronously, has counted this many. */
    public void awaitFailures(String userId, int failures) {
        for (int i = 0; i < 50 && bruteForceStatus(userId).get("numFailures").asInt() < failures; i++) {
            sleep(100);
        }
    }

    /**
     * A wrong login that brute-force detection counts: sends it, and sends it again while it was not counted.
     * Keycloak refuses a login that overlaps the bookkeeping of the user's previous one (user_temporarily_disabled)
     * without counting it; such a refusal changes nothing, so repeating it never counts one failure twice.
     */
    public void failCounted(String clientId, String username, String wrongPassword, String userId, int failuresAfter) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Http.Response response = grant(clientId, username, wrongPassword, null);
            if (response.status() != 400) {
                throw new IllegalStateException("expected a refused login: " + response);
            }
            for (int i = 0; i < 20; i++) {
                if (bruteForceStatus(userId).get("numFailures").asInt() >= failuresAfter) {
                    return;
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("the failure was never counted: " + bruteForceStatus(userId));
    }

    /** Waits (up to 5 s) until brute-force detection has locked the user; returns the last status seen. */
    public JsonNode awaitLocked(String userId) {
        JsonNode status = bruteForceStatus(userId);
        for (int i = 0; i < 50 && !status.get("disabled").asBoolean(); i++) {
            sleep(100);
            status = bruteForceStatus(userId);
        }
        return status;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String basic(String username, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Http.Response deleteAppPassword(String token, String id) {
        return keycloak.http().send("DELETE", url("/app-passwords/" + id), Http.bearer(token), null, null);
    }

    /**
     * Replaces the configuration of the realm's {@code create-app-password} required action (the realm policy).
     * Unless {@code config} says otherwise, it keeps the template's {@code creation_clients=mail}: the tests create
     * app passwords over REST with a password+OTP token of {@code mail} (see {@link #userToken()}).
     */
    public Http.Response configureAppPasswordAction(Map<String, String> config) {
        Map<String, String> withCreationClient = new java.util.HashMap<>(Map.of(CREATION_CLIENTS, "mail"));
        withCreationClient.putAll(config);
        return keycloak.adminJson("PUT", "/" + name + "/authentication/required-actions/create-app-password/config",
                Map.of("config", withCreationClient));
    }

    /** The policy key naming the clients whose tokens may create app passwords over REST. */
    public static final String CREATION_CLIENTS = "creation_clients";

    /** Updates the realm's {@code create-app-password} required action, e.g. {@code defaultAction}. */
    public void updateAppPasswordAction(boolean enabled, boolean defaultAction) {
        Http.Response response = keycloak.adminJson("PUT", "/" + name + "/authentication/required-actions/create-app-password",
                Map.of("alias", "create-app-password", "name", "Create an app password", "providerId", "create-app-password",
                        "enabled", enabled, "defaultAction", defaultAction, "priority", 140));
        if (response.status() != 204) {
            throw new IllegalStateException("updating the required action failed: " + response);
        }
    }

    public String userId(String username) {
        JsonNode users = keycloak.adminGet("/" + name + "/users?exact=true&username=" + username).json();
        return users.get(0).get("id").asText();
    }

    /** Gives a user a role of this realm's {@code realm-management} client (e.g. view-users, realm-admin). */
    public void grantRealmManagementRole(String userId, String role) {
        String clientUuid = keycloak.adminGet("/" + name + "/clients?clientId=realm-management").json().get(0).get("id").asText();
        JsonNode roleRep = keycloak.adminGet("/" + name + "/clients/" + clientUuid + "/roles/" + role).json();
        Http.Response mapped = keycloak.adminJson("POST", "/" + name + "/users/" + userId + "/role-mappings/clients/" + clientUuid,
                java.util.List.of(Map.of("id", roleRep.get("id").asText(), "name", role)));
        if (mapped.status() != 204) {
            throw new IllegalStateException("role mapping failed: " + mapped);
        }
    }

    /** Creates a user with a password (and no OTP) through the admin API; returns its id. */
    public String createUser(String username, String password) {
        Http.Response created = keycloak.adminJson("POST", "/" + name + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@example.org", "emailVerified", true,
                "firstName", "Test", "lastName", "User",
                "credentials", new Object[] {Map.of("type", "password", "value", password, "temporary", false)}));
        if (created.status() != 201) {
            throw new IllegalStateException("user creation failed: " + created);
        }
        return userId(username);
    }

    /**
     * Imports a user with a password and an app password whose hash the test computed itself, as a realm import
     * would carry it (e.g. one that expired already); returns the user's id.
     */
    public String importUserWithAppPassword(String username, dev.apppasswords.secret.AppPasswordSecret secret, long expiresAt) {
        dev.apppasswords.secret.SecretHash hash = dev.apppasswords.secret.SecretHash.of(secret);
        Map<String, Object> credential = Map.of("type", "app-password", "userLabel", "Old phone",
                "createdDate", System.currentTimeMillis() - 86_400_000L,
                "secretData", "{\"salt\":\"" + hash.saltBase64() + "\",\"hash\":\"" + hash.hashBase64() + "\"}",
                "credentialData", "{\"algorithm\":\"" + dev.apppasswords.secret.SecretHash.ALGORITHM + "\",\"expiresAt\":" + expiresAt + "}");
        Map<String, Object> user = Map.of("username", username, "enabled", true, "email", username + "@example.org",
                "emailVerified", true, "firstName", "Test", "lastName", "User", "realmRoles", java.util.List.of("default-roles-" + name),
                "credentials", java.util.List.of(Map.of("type", "password", "value", "Tom-password-1"), credential));
        Http.Response imported = keycloak.adminJson("POST", "/" + name + "/partialImport",
                Map.of("ifResourceExists", "FAIL", "users", java.util.List.of(user)));
        if (imported.status() != 200) {
            throw new IllegalStateException("user import failed: " + imported);
        }
        return userId(username);
    }
}
