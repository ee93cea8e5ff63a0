package dev.apppasswords.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.apppasswords.it.support.DebianPackages;
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
            DebianPackages.require("/usr/bin/curl", "curl");
            String script = quickStartBlock().replace("http://localhost:8080", keycloak.baseUrl());
            // demo/Totp.java remembers the last step it printed in $TMPDIR: keep that file in target/.
            Path tmp = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"), "quick-start-tmp"));
            ProcessBuilder builder = new ProcessBuilder("sh", "-eu", "-c", script).redirectErrorStream(true);
            builder.environment().put("TMPDIR", tmp.toAbsolutePath().toString());
            Process shell = builder.start();
            assertTrue(shell.waitFor(120, TimeUnit.SECONDS), "the Quick start finished");
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("[quick start]\n" + output);
            assertEquals(0, shell.exitValue(), output);
            assertTrue(output.startsWith("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"), output);
            assertTrue(output.matches("(?s).*\\n\\d{6}\\n.*"), "the one-time code: " + output);
            assertTrue(output.contains("\"name\":\"Phone\",") && output.matches("(?s).*\"password\":\"([a-z]{4} ){5}[a-z]{4}\".*"), output);
            String lastLine = output.strip().substring(output.strip().lastIndexOf('\n') + 1);
            assertTrue(lastLine.startsWith("{\"access_token\":\"eyJ"), "the app password's grant: " + output);
        } finally {
            keycloak.adminDelete("/demo");
        }
    }

    private static String quickStartBlock() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int intro = readme.indexOf(BLOCK_INTRO);
        assertTrue(intro > 0, "the README introduces the terminal block with: " + BLOCK_INTRO);
        int start = readme.indexOf("```sh\n", intro) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }
}
