package dev.apppasswords.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image of {@code docker/Dockerfile} (built from the freshly built jar), run as
 * {@code docker/compose.yaml} runs it: {@code start --optimized} against PostgreSQL 16, the demo realm
 * imported. The core scenario over HTTP: password + OTP sign-in, create an app password over REST, a
 * direct grant with it, delete it, the grant refused.
 *
 * <p>Needs a Docker engine; where there is none (as on this project's CI machines) JUnit skips the class
 * and the log says why. Run it alone with
 * {@code ./mvnw verify -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ContainerImageIT}.
 */
@ExtendWith(ContainerImageIT.SayWhySkipped.class)
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerImageIT {

    /** The demo realm's user (demo/demo-realm.json). */
    private static final String USER = "demo";
    private static final String PASSWORD = "demo";
    private static final String OTP_SECRET = "demo-otp-secret-2026";
    private static final String CLIENT = "mail";

    private final Http http = new Http();
    private Network network;
    private GenericContainer<?> postgres;
    private KeycloakContainer keycloak;

    @BeforeAll
    void startImage() throws Exception {
        Path jar = Path.of(System.getProperty("provider.jar"));
        assertTrue(Files.isRegularFile(jar), "the jar is built before the integration tests: " + jar);
        // The same build context as `docker build -f docker/Dockerfile .` in the repository root.
        ImageFromDockerfile image = new ImageFromDockerfile("keycloak-app-passwords-it", true)
                .withFileFromPath("Dockerfile", Path.of("docker/Dockerfile"))
                .withFileFromPath("target/keycloak-app-passwords.jar", jar);

        network = Network.newNetwork();
        postgres = new GenericContainer<>("postgres:16")
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withEnv(Map.of("POSTGRES_DB", "keycloak", "POSTGRES_USER", "keycloak", "POSTGRES_PASSWORD", "keycloak"))
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2));
        postgres.start();

        keycloak = new KeycloakContainer(image.get())
                .withProductionMode()
                .withOptimizedFlag()
                .withNetwork(network)
                .withEnv("KC_DB_URL", "jdbc:postgresql://postgres:5432/keycloak")
                .withEnv("KC_DB_USERNAME", "keycloak")
                .withEnv("KC_DB_PASSWORD", "keycloak")
                .withCustomCommand("--http-enabled=true")
                .withCustomCommand("--hostname-strict=false")
                .withCopyFileToContainer(MountableFile.forHostPath(Path.of("demo/demo-realm.json"), 0644),
                        "/opt/keycloak/data/import/demo-realm.json")
                .withStartupTimeout(Duration.ofMinutes(5));
        keycloak.start();
    }

    @AfterAll
    void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theImageRunsTheExtension() {
        String base = keycloak.getAuthServerUrl();
        String tokenUrl = base + "/realms/demo/protocol/openid-connect/token";

        Http.Response admin = http.form(base + "/realms/master/protocol/openid-connect/token", Map.of(),
                Http.params("grant_type", "password", "client_id", "admin-cli",
                        "username", keycloak.getAdminUsername(), "password", keycloak.getAdminPassword()));
        assertEquals(200, admin.status(), admin.body());
        Http.Response info = http.get(base + "/admin/serverinfo", Http.bearer(admin.json().get("access_token").asText()));
        assertEquals(System.getProperty("project.version"),
                info.json().at("/providers/app-passwords/providers/default/operationalInfo/version").asText(),
                "the image carries this build's jar");

        Http.Response passwordOnly = http.form(tokenUrl, Map.of(), Http.params("grant_type", "password",
                "client_id", CLIENT, "username", USER, "password", PASSWORD));
        assertEquals(400, passwordOnly.status(), "the account password alone is refused: the user has OTP");

        Http.Response signIn = http.form(tokenUrl, Map.of(), Http.params("grant_type", "password",
                "client_id", CLIENT, "username", USER, "password", PASSWORD, "otp", Totp.now(OTP_SECRET)));
        assertEquals(200, signIn.status(), signIn.body());
        Map<String, String> user = Http.bearer(signIn.json().get("access_token").asText());

        Http.Response created = http.json("POST", base + "/realms/demo/app-passwords", user, Map.of("name", "Phone"));
        assertEquals(201, created.status(), created.body());
        JsonNode appPassword = created.json();

        Map<String, String> grant = Http.params("grant_type", "password", "client_id", CLIENT, "username", USER,
                "password", appPassword.get("password").asText());
        Http.Response withAppPassword = http.form(tokenUrl, Map.of(), grant);
        assertEquals(200, withAppPassword.status(), withAppPassword.body());

        Http.Response deleted = http.send("DELETE", base + "/realms/demo/app-passwords/" + appPassword.get("id").asText(),
                user, null, null);
        assertEquals(204, deleted.status(), deleted.body());
        Http.Response afterDelete = http.form(tokenUrl, Map.of(), grant);
        assertEquals(400, afterDelete.status(), "a deleted app password is refused: " + afterDelete.body());
    }

    /**
     * Prints why the class is skipped where no Docker engine answers, so the build log says so (Failsafe
     * shows only "Skipped: 1"); the decision itself is {@code @Testcontainers(disabledWithoutDocker = true)}'s.
     */
    static final class SayWhySkipped implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                System.out.println("[ContainerImageIT] SKIPPED: no Docker engine here. This test builds docker/Dockerfile and runs"
                        + " it with PostgreSQL 16; run it where Docker runs: ./mvnw verify -Dit.test=ContainerImageIT");
            }
            return ConditionEvaluationResult.enabled("@Testcontainers(disabledWithoutDocker = true) decides");
        }
    }
}
