package dev.apppasswords.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.apppasswords.it.support.DebianPackages;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's nginx on a loopback port in front of a static folder, with {@code auth_request} to the
 * forward-auth endpoint — the README's recipe, verbatim apart from ports and paths — and the real
 * {@code curl} as the client.
 */
class NginxForwardAuthIT extends RealmIT {

    private Process nginx;
    private int port;
    private String appPassword;
    private Path prefix;

    @Override
    protected String realmPrefix() {
        return "nginx";
    }

    @BeforeAll
    void setUp() throws Exception {
        Path binary = DebianPackages.require("/usr/sbin/nginx", "nginx");
        DebianPackages.require("/usr/bin/curl", "curl");
        appPassword = realm.newAppPassword(realm.userToken(), "WebDAV client").get("password").asText();

        prefix = Path.of(System.getProperty("project.build.directory", "target"), "nginx-it").toAbsolutePath();
        Files.createDirectories(prefix.resolve("site"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("site/index.html"), "<h1>private files</h1>\n");
        port = freePort();
        String template = Files.readString(Path.of("src/test/resources/nginx/forward-auth.conf"));
        String conf = template.replace("${port}", String.valueOf(port))
                .replace("${site}", prefix.resolve("site").toString())
                .replace("${prefix}", prefix.toString())
                .replace("${keycloak}", "127.0.0.1:" + keycloak.server().httpPort())
                .replace("${realm}", realm.name());
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/nginx.out").toFile()).start();
        for (int i = 0; i < 50 && !listening(port); i++) {
            Thread.sleep(100);
        }
        assertTrue(nginx.isAlive(), Files.readString(prefix.resolve("logs/nginx.out")));
    }

    @AfterAll
    void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor();
        }
    }

    @Test
    void appPasswordOpensTheFolder() throws Exception {
        List<String> out = curl("-u", TestRealm.USER + ":" + appPassword);
        assertEquals("200", out.get(0), String.join("\n", out));
        assertTrue(out.get(1).contains("private files"));
        assertTrue(out.get(2).contains(TestRealm.USER), "nginx passes the user on: " + out.get(2));
    }

    @Test
    void mainPasswordWrongPasswordAndNoPasswordAreRefused() throws Exception {
        for (List<String> args : List.of(List.of("-u", TestRealm.USER + ":" + realm.password()),
                List.of("-u", TestRealm.USER + ":abcd efgh ijkl mnop qrst uvwx"), List.<String>of())) {
            List<String> out = curl(args.toArray(String[]::new));
            assertEquals("401", out.get(0), args + "\n" + String.join("\n", out));
            assertTrue(out.get(3).contains("Basic realm"), "challenge passed through: " + out.get(3));
        }
    }

    /** Runs curl; returns [status, body, X-User header, WWW-Authenticate header]. */
    private List<String> curl(String... args) throws IOException, InterruptedException {
        Path body = Files.createTempFile(prefix, "body", ".html");
        Path headers = Files.createTempFile(prefix, "headers", ".txt");
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", body.toString(), "-D", headers.toString(),
                "-w", "%{http_code}"));
        command.addAll(List.of(args));
        command.add("http://127.0.0.1:" + port + "/");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        String head = Files.readString(headers);
        return List.of(status, Files.readString(body), header(head, "X-User"), header(head, "WWW-Authenticate"));
    }

    private static String header(String head, String name) {
        return head.lines().filter(l -> l.toLowerCase().startsWith(name.toLowerCase() + ":")).findFirst().orElse("");
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
