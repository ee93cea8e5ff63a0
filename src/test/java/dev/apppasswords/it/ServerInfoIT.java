package dev.apppasswords.it;

import java.nio.file.Path;
import java.util.jar.JarFile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The admin console's <em>Provider info</em> (server info) shows which version of the extension runs and
 * its server-wide settings, so an admin can tell what is deployed without opening the jar.
 */
@ExtendWith(KeycloakExtension.class)
class ServerInfoIT {

    @Test
    void providerInfoShowsTheJarsVersionAndSettings(Keycloak keycloak) throws Exception {
        Http.Response info = keycloak.http().get(keycloak.baseUrl() + "/admin/serverinfo", keycloak.admin());
        assertEquals(200, info.status(), info.body());
        JsonNode provider = info.json().path("providers").path("app-passwords").path("providers").path("default");
        JsonNode operational = provider.path("operationalInfo");
        assertFalse(operational.isMissingNode(), "operationalInfo of the app-passwords SPI's default provider: " + provider);

        String manifestVersion;
        try (JarFile jar = new JarFile(Path.of(System.getProperty("provider.jar")).toFile())) {
            manifestVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertEquals(System.getProperty("project.version"), manifestVersion, "the build writes the version into the manifest");
        assertEquals(manifestVersion, operational.path("version").asText(), operational.toString());
        assertEquals("40", operational.path("max-per-user").asText(), operational.toString());
        assertEquals("60", operational.path("usage-write-interval").asText(), operational.toString());
    }
}
