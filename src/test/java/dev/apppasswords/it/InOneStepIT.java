package dev.apppasswords.it;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.apppasswords.it.support.PastedBlock;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import dev.apppasswords.it.support.Totp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin guide's "set up the demo realm in one step" block, pasted as a newcomer would: the demo realm
 * imported into the test Keycloak, the block run with only the server's address changed, each answer compared
 * with the expected output written under its command; then the set-up is shown to work (a password grant of the
 * new client with an app password).
 */
@ExtendWith(KeycloakExtension.class)
class InOneStepIT {

    private static final String BLOCK_INTRO = "To set up the demo realm in one step";

    @Test
    void theOneStepSetUpWorksAsWrittenAgainstTheDemoRealm(Keycloak keycloak) throws Exception {
        Http.Response imported = keycloak.adminJson("POST", "", Files.readString(Path.of("demo/demo-realm.json")));
        assertEquals(201, imported.status(), imported.body());
        try {
            String block = PastedBlock.after(Path.of("docs/admin-guide.md"), BLOCK_INTRO);
            String output = PastedBlock.run(block, keycloak.baseUrl(), "in one step", 60);
            assertEquals(expected(block), output.strip(), "the answers are the ones the guide shows");

            // What the call set up works: sync now takes an app password at the token endpoint.
            String realmUrl = keycloak.baseUrl() + "/realms/demo";
            Http.Response signIn = keycloak.http().form(realmUrl + "/protocol/openid-connect/token", java.util.Map.of(),
                    Http.params("grant_type", "password", "client_id", "mail", "username", "demo", "password", "demo",
                            "otp", Totp.now("demo-otp-secret-2026")));
            assertEquals(200, signIn.status(), signIn.body());
            Http.Response created = keycloak.http().json("POST", realmUrl + "/app-passwords",
                    Http.bearer(signIn.json().get("access_token").asText()), java.util.Map.of("name", "Sync"));
            assertEquals(201, created.status(), created.body());
            Http.Response grant = keycloak.http().form(realmUrl + "/protocol/openid-connect/token", java.util.Map.of(),
                    Http.params("grant_type", "password", "client_id", "sync", "username", "demo",
                            "password", created.json().get("password").asText()));
            assertEquals(200, grant.status(), grant.body());
        } finally {
            keycloak.adminDelete("/demo");
        }
    }

    /**
     * The expected answers: the comment lines right under a command that prints (not under an assignment such as
     * {@code KC=...} or {@code TOKEN=$(...)}), one answer per command, continuation lines joined.
     */
    private static String expected(String block) {
        StringBuilder expected = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        boolean printing = false;
        boolean continued = false;
        for (String line : block.split("\n")) {
            if (line.startsWith("#") && printing && !continued) {
                answer.append(line.substring(1).strip());
                continue;
            }
            if (answer.length() > 0) {
                expected.append(answer).append('\n');
                answer.setLength(0);
            }
            if (line.isBlank() || line.startsWith("#")) {
                printing = false;
                continued = false;
                continue;
            }
            if (!continued) {
                printing = !line.matches("^[A-Za-z_]+=.*");
            }
            continued = line.endsWith("\\");
        }
        if (answer.length() > 0) {
            expected.append(answer).append('\n');
        }
        return expected.toString().strip();
    }
}
