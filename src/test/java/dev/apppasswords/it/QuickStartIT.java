package dev.apppasswords.it;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.apppasswords.it.support.PastedBlock;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Quick start, run as a newcomer would paste it: the demo realm ({@code demo/demo-realm.json})
 * imported into the test Keycloak, then the README's terminal block with only the server's address changed.
 */
@ExtendWith(KeycloakExtension.class)
class QuickStartIT {

    private static final String BLOCK_INTRO = "try it from a second terminal";

    @Test
    void theQuickStartWorksAsWritten(Keycloak keycloak) throws Exception {
        String realm = Files.readString(Path.of("demo/demo-realm.json"));
        Http.Response imported = keycloak.adminJson("POST", "", realm);
        assertEquals(201, imported.status(), imported.body());
        try {
            String output = PastedBlock.run(PastedBlock.after(Path.of("README.md"), BLOCK_INTRO), keycloak.baseUrl(), "quick start", 120);
            assertTrue(output.startsWith("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"), output);
            assertTrue(output.matches("(?s).*\\n\\d{6}\\n.*"), "the one-time code: " + output);
            assertTrue(output.contains("\"name\":\"Phone\",") && output.matches("(?s).*\"password\":\"([a-z]{4} ){5}[a-z]{4}\".*"), output);
            String lastLine = output.strip().substring(output.strip().lastIndexOf('\n') + 1);
            assertTrue(lastLine.startsWith("{\"access_token\":\"eyJ"), "the app password's grant: " + output);
        } finally {
            keycloak.adminDelete("/demo");
        }
    }
}
