package dev.apppasswords.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.TestFiles;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakServer;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.it.support.Timings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Upgrading the jar keeps app passwords and their last use: a database made by the first version of the
 * extension, started with the jar this build made, runs the new Liquibase changeset, and every app password
 * still works, the REST list still shows its last use, and deleting one still works.
 *
 * <p>The first version is built here from git history ({@link #FIRST_VERSION}, its own {@code pom.xml},
 * through this project's Maven wrapper) into {@code target/first-version/}. The test is skipped only when
 * git is not installed or the project is not a git checkout; a clone without that commit (shallow) fails
 * with the fix in the message. Runs a Keycloak of its own ({@link KeycloakServer#ownInstance}; database
 * {@code apppasswords_upgrade} on PostgreSQL/MariaDB).
 */
class UpgradeIT {

    /**
     * The first version: "Build, app-password credential type, verifier, direct-grant authenticator, user
     * REST resource, last-use table" (changeset {@code app-password-usage-1} only).
     */
    static final String FIRST_VERSION = "ba83b9144c6b29b953ec3939bf946c1253b8402b";
    /**
     * The first version's test realm came with the next commit, the first with integration tests; its only
     * change to the extension: the REST list shows the last-use fields as null until first use.
     */
    static final String FIRST_TEST_REALM = "5c07f7667fd0f3b36918c7ddb5a93dbcad0d09ed";

    @Test
    void appPasswordsAndLastUseMadeByTheFirstVersionSurviveAnUpgradeToThisJar() throws Exception {
        Timings timings = new Timings("upgrade, " + System.getProperty("it.db", "dev-file"));
        Path root = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath().getParent();
        Path firstJar = firstVersionJar(root);
        String firstRealm = git(root, "show", FIRST_TEST_REALM + ":src/test/resources/realms/app-passwords-realm.json");
        timings.lap("first version's jar (" + FIRST_VERSION.substring(0, 7) + ")");

        KeycloakServer server = KeycloakServer.ownInstance("upgrade", "apppasswords_upgrade");
        Keycloak keycloak = new Keycloak(server);
        try {
            server.startFresh(firstJar);
            timings.lap("fresh Keycloak with the first version (copy, kc.sh build, start)");

            // The first version: its realm, app passwords made through its REST API, two of them used.
            TestRealm realm = TestRealm.create(keycloak, "upgrade", firstRealm);
            String token = realm.userToken();
            JsonNode phone = realm.newAppPassword(token, "Phone");
            JsonNode laptop = realm.newAppPassword(token, "Laptop");
            JsonNode tablet = realm.newAppPassword(token, "Tablet");
            assertEquals(200, realm.grant("mail", secret(phone)).status());
            assertEquals(200, realm.grant("sync", secret(laptop)).status());
            JsonNode before = realm.listAppPasswords(token).json();
            assertEquals(3, before.size(), before.toString());
            assertTrue(find(before, phone).get("lastUsedAt").isNumber(), before.toString());
            assertTrue(find(before, laptop).get("lastUsedAt").isNumber(), before.toString());
            changeSets(server).ifPresent(ids -> assertEquals(List.of("app-password-usage-1"), ids, "the first version's schema"));
            server.usageRows().ifPresent(rows -> assertEquals(2, rows));
            timings.lap("realm, 3 app passwords, 2 used, with the first version");

            // The upgrade: stop, replace the jar, kc.sh build, start on the same database.
            server.stop();
            server.installProvider(Path.of(System.getProperty("provider.jar")));
            server.start();
            timings.lap("upgrade: replace the jar, kc.sh build, start");
            changeSets(server).ifPresent(ids -> assertEquals(List.of("app-password-usage-1", "app-password-usage-2-revoked"), ids,
                    "Liquibase applied the new changeset"));
            server.usageRows().ifPresent(rows -> assertEquals(2, rows, "the last-use rows are kept"));

            // The REST list still shows every app password with its last use, before anyone logs in again.
            token = realm.userToken();
            JsonNode after = realm.listAppPasswords(token).json();
            assertEquals(3, after.size(), after.toString());
            for (JsonNode made : List.of(phone, laptop, tablet)) {
                JsonNode old = find(before, made);
                JsonNode now = find(after, made);
                assertEquals(old.get("name"), now.get("name"));
                assertEquals(old.get("createdAt"), now.get("createdAt"));
                for (String field : List.of("lastUsedAt", "lastUsedIp", "lastUsedClientId")) {
                    // the first version leaves out the fields of a never used app password; they are null now
                    JsonNode was = old.has(field) ? old.get(field) : Http.JSON.nullNode();
                    assertEquals(was, now.get(field), made.get("name").asText() + " " + field + ": " + after);
                }
                assertEquals(0, now.get("clients").size(), "no client limit: usable with any client");
                assertTrue(now.get("expiresAt").isNull(), "no expiry");
            }
            assertEquals("sync", find(after, laptop).get("lastUsedClientId").asText());

            // Every app password still works; a used one now records its salted hash (the stale-device record).
            assertEquals(200, realm.grant("mail", secret(phone)).status());
            assertEquals(200, realm.grant("sync", secret(laptop)).status());
            assertEquals(200, realm.grant("mail", secret(tablet)).status());
            assertEquals(400, realm.grant("mail", realm.password()).status(), "the account password still needs the OTP");

            // Deleting one still works: it stops at once, is recognised as deleted, the others go on.
            assertEquals(204, realm.deleteAppPassword(token, laptop.get("id").asText()).status());
            Http.Response deleted = realm.grant("sync", secret(laptop));
            assertEquals(400, deleted.status());
            assertTrue(deleted.body().contains("was deleted"), deleted.body());
            assertEquals(2, realm.listAppPasswords(token).json().size());
            assertEquals(200, realm.grant("mail", secret(phone)).status());

            // Since 1.0 only the account console and the clients the policy names create app passwords over REST: an
            // upgraded realm refuses mail's token until its admin names it (the CHANGELOG's action for such scripts).
            Http.Response refused = realm.createAppPassword(token, Map.of("name", "Before naming"));
            assertEquals(403, refused.status(), refused.body());
            assertTrue(refused.body().contains("creation_clients"), refused.body());
            assertEquals(204, realm.configureAppPasswordAction(Map.of()).status());

            // And the new version's features work on the upgraded database.
            Http.Response limited = realm.createAppPassword(token, Map.of("name", "Sync", "clients", List.of("sync"), "expiresInDays", 7));
            assertEquals(201, limited.status(), limited.body());
            assertEquals(200, realm.grant("sync", secret(limited.json())).status());
            assertEquals(400, realm.grant("mail", secret(limited.json())).status(), "limited to sync");
            timings.lap("checks after the upgrade");
        } finally {
            server.stop();
            timings.printSummary();
        }
    }

    /**
     * The first version's jar, built from git history with its own {@code pom.xml} (once per
     * {@code target/}: the commit never changes).
     */
    private static Path firstVersionJar(Path root) throws Exception {
        try {
            new ProcessBuilder("git", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException noGit) {
            Assumptions.abort("git is not installed: UpgradeIT builds the first version (" + FIRST_VERSION + ") from git history");
        }
        Assumptions.assumeTrue(run(root, List.of("git", "rev-parse", "--git-dir")).exitCode == 0,
                root + " is not a git checkout: UpgradeIT builds the first version (" + FIRST_VERSION + ") from git history");
        for (String commit : List.of(FIRST_VERSION, FIRST_TEST_REALM)) {
            if (run(root, List.of("git", "cat-file", "-e", commit + "^{commit}")).exitCode != 0) {
                fail("Commit " + commit + " (the first version, for UpgradeIT) is not in this clone, probably a shallow one. "
                        + "Fetch the history: git fetch --unshallow (CI: actions/checkout with fetch-depth: 0).");
            }
        }
        Path dir = root.resolve("target/first-version");
        Path marker = dir.resolve("target/built-from");
        if (Files.exists(marker) && Files.readString(marker).equals(FIRST_VERSION)) {
            return jarIn(dir.resolve("target"));
        }
        TestFiles.deleteTree(dir);
        Files.createDirectories(dir);
        Path zip = root.resolve("target/first-version.zip");
        Result archived = run(root, List.of("git", "archive", "--format=zip", "-o", zip.toString(), FIRST_VERSION));
        assertEquals(0, archived.exitCode, "git archive: " + archived.output);
        unzip(zip, dir);
        Files.delete(zip);
        Result built = run(root, List.of(root.resolve("mvnw").toString(), "-B", "-q", "-f", dir.resolve("pom.xml").toString(),
                "package", "-DskipTests"));
        assertEquals(0, built.exitCode, "building the first version failed:\n" + built.output);
        Files.writeString(marker, FIRST_VERSION);
        return jarIn(dir.resolve("target"));
    }

    private static Path jarIn(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("keycloak-app-passwords.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target));
        }
    }

    private static String git(Path root, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Result result = run(root, command);
        assertEquals(0, result.exitCode, String.join(" ", command) + ": " + result.output);
        return result.output;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path directory, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 5 minutes");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path to = dir.resolve(entry.getName()).normalize();
                if (!to.startsWith(dir)) {
                    throw new IOException("unexpected entry " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String secret(JsonNode created) {
        return created.get("password").asText();
    }

    private static JsonNode find(JsonNode list, JsonNode created) {
        for (JsonNode p : list) {
            if (p.get("id").asText().equals(created.get("id").asText())) {
                return p;
            }
        }
        fail(created.get("name").asText() + " is not listed: " + list);
        return null;
    }

    /** The ids of the extension's applied Liquibase changesets, on PostgreSQL and MariaDB; empty on dev-file. */
    private static Optional<List<String>> changeSets(KeycloakServer server) throws Exception {
        Optional<Connection> db = server.openDatabase();
        if (db.isEmpty()) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        // The history table is DATABASECHANGELOG_ + the first 10 letters of the factory id "apppasswords"
        // (upper case on MariaDB, lower case on PostgreSQL, which folds the unquoted name).
        try (Connection c = db.get(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM DATABASECHANGELOG_APPPASSWOR ORDER BY ORDEREXECUTED")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return Optional.of(ids);
    }
}
