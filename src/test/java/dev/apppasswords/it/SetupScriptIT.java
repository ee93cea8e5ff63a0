package dev.apppasswords.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.KeycloakServer;
import dev.apppasswords.it.support.Totp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's setup script ({@code scripts/create-app-password-flow.sh}, driving Keycloak's own
 * {@code kcadm.sh}) turns a plain realm with an OTP user into one where app passwords work.
 */
@ExtendWith(KeycloakExtension.class)
class SetupScriptIT {

    @Test
    void scriptBuildsAWorkingFlowAndBindsItToTheClient(Keycloak keycloak) throws Exception {
        scriptBuildsAWorkingFlow(keycloak, List.of());
    }

    @Test
    void scriptBuildsTheAppPasswordFirstLayout(Keycloak keycloak) throws Exception {
        scriptBuildsAWorkingFlow(keycloak, List.of("--app-password-first"));
    }

    private void scriptBuildsAWorkingFlow(Keycloak keycloak, List<String> options) throws Exception {
        String realm = "script-" + UUID.randomUUID().toString().substring(0, 8);
        String otpSecret = "script-otp-secret-123";
        Map<String, Object> rep = Map.of(
                "realm", realm, "enabled", true,
                "otpPolicyCodeReusable", true, "otpPolicyType", "totp", "otpPolicyAlgorithm", "HmacSHA1",
                "otpPolicyDigits", 6, "otpPolicyPeriod", 30, "otpPolicyLookAheadWindow", 1,
                "clients", List.of(Map.of("clientId", "imap", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", false)),
                "users", List.of(Map.of("username", "kim", "enabled", true, "email", "kim@example.org",
                        "firstName", "Kim", "lastName", "Doe", "realmRoles", List.of("default-roles-" + realm),
                        "credentials", List.of(
                                Map.of("type", "password", "value", "Kim-password-1"),
                                Map.of("type", "otp", "secretData", "{\"value\":\"" + otpSecret + "\"}",
                                        "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}")))));
        assertEquals(201, keycloak.adminJson("POST", "", rep).status());
        // The test creates the app password over REST with imap's password+OTP token: the policy must name imap.
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm + "/authentication/required-actions/create-app-password/config",
                Map.of("config", Map.of("creation_clients", "imap"))).status());
        try {
            runScript(keycloak, options, realm, "imap");
            String tokenUrl = keycloak.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
            Http http = keycloak.http();
            Http.Response noOtp = http.form(tokenUrl, Map.of(), Http.params("grant_type", "password", "client_id", "imap",
                    "username", "kim", "password", "Kim-password-1"));
            assertEquals(400, noOtp.status(), "the script's flow still demands OTP with the main password");
            Http.Response withOtp = http.form(tokenUrl, Map.of(), Http.params("grant_type", "password", "client_id", "imap",
                    "username", "kim", "password", "Kim-password-1", "otp", Totp.now(otpSecret)));
            assertEquals(200, withOtp.status(), withOtp.body());

            Http.Response created = http.json("POST", keycloak.baseUrl() + "/realms/" + realm + "/app-passwords",
                    Http.bearer(withOtp.json().get("access_token").asText()), Map.of("name", "Mail"));
            assertEquals(201, created.status(), created.body());
            Http.Response appGrant = http.form(tokenUrl, Map.of(), Http.params("grant_type", "password", "client_id", "imap",
                    "username", "kim", "password", created.json().get("password").asText()));
            assertEquals(200, appGrant.status(), appGrant.body());
        } finally {
            keycloak.adminDelete("/" + realm);
        }
    }

    private static void runScript(Keycloak keycloak, List<String> options, String realm, String client) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("keycloak.home"));
        // kcadm.sh keeps its login in ${user.home}/.keycloak/kcadm.config, and Java's user.home comes from the
        // password database, not $HOME: point it into target/ through KC_OPTS (kcadm.sh passes it to java), so
        // the developer's own ~/.keycloak stays untouched and nothing is left outside target/.
        Path kcadmHome = Path.of(System.getProperty("project.build.directory", "target"), "kcadm-home").toAbsolutePath();
        Files.createDirectories(kcadmHome);
        String kcadm = home.resolve("bin/kcadm.sh").toString();
        Map<String, String> env = Map.of("KC_OPTS", "-Duser.home=" + kcadmHome, "KCADM", kcadm);
        run(List.of(kcadm, "config", "credentials", "--server", keycloak.baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", KeycloakServer.ADMIN_PASSWORD), env);
        Path config = kcadmHome.resolve(".keycloak/kcadm.config");
        assertTrue(Files.exists(config) && Files.readString(config).contains(keycloak.baseUrl()),
                "kcadm.sh keeps this login in " + config);
        List<String> command = new java.util.ArrayList<>(List.of("sh", "scripts/create-app-password-flow.sh"));
        command.addAll(options);
        command.addAll(List.of(realm, client));
        String output = run(command, env);
        assertTrue(output.contains("Bound it as the direct grant flow of client " + client), output);
    }

    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
