package dev.apppasswords.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.DebianPackages;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.KeycloakServer;
import dev.apppasswords.it.support.MailServers;
import dev.apppasswords.it.support.TestFiles;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.apppasswords.it.support.TestRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The no-token Lua passdb (docs/recipes/dovecot, on Debian 12's Dovecot 2.3) in front of a Keycloak of its own
 * started with {@code --proxy-headers=xforwarded --proxy-trusted-addresses=127.0.0.1}, Dovecot's address: Keycloak
 * then takes the mail client's address from the script's {@code X-Forwarded-For}, so each mail client has its own
 * throttle bucket at forward-auth (more than 10 wrong app passwords a minute from one address: 429, which the script
 * makes a temporary failure) and events name its address. The mail clients' addresses come from {@code doveadm auth test -x rip=...}, as Dovecot passes an IMAP
 * client's address to its passdb.
 */
@Tag("mail-servers")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailLuaForwardedForIT {

    private static final String WRONG_APP_PASSWORD = "abcd efgh ijkl mnop qrst uvwx";
    private static final String TYPO_CLIENT = "192.0.2.7";
    private static final String OTHER_CLIENT = "198.51.100.8";

    private final MailServers servers = new MailServers();
    private KeycloakServer server;
    private TestRealm realm;
    private Path dir;
    private int imapPort;
    private String appPassword;
    private String laptopPassword;

    @BeforeAll
    void start() throws Exception {
        DebianPackages.require("/usr/sbin/dovecot", "dovecot-imapd");
        DebianPackages.requireFile("/usr/lib/dovecot/modules/auth/libauthdb_lua.so", "dovecot-auth-lua");
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("MailLuaForwardedForIT starts Dovecot, which needs root; running as " + System.getProperty("user.name"));
        }
        server = KeycloakServer.ownInstance("mail-xff", "apppasswords_mail_xff")
                .withRuntimeOptions(List.of("--proxy-headers=xforwarded", "--proxy-trusted-addresses=127.0.0.1"));
        server.startFresh();
        Keycloak keycloak = new Keycloak(server);
        realm = TestRealm.create(keycloak, "mail-xff");
        String token = realm.userToken();
        appPassword = realm.newAppPassword(token, "Phone").get("password").asText();
        laptopPassword = realm.newAppPassword(token, "Laptop").get("password").asText();

        Path base = Path.of(System.getProperty("project.build.directory", "target"), "mail-xff").toAbsolutePath();
        TestFiles.deleteTree(base);
        dir = base.resolve("dovecot");
        imapPort = MailServers.freePort();
        servers.startLuaDovecot23(dir, imapPort, keycloak.baseUrl(), realm.name());
    }

    @AfterAll
    void stop() throws InterruptedException {
        servers.stopAll();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void eachMailClientHasItsOwnThrottleBucketAndItsAddressInEvents() throws Exception {
        assertEquals("auth succeeded", authTest(OTHER_CLIENT, appPassword), "the app password from one address");

        String first = authTest(TYPO_CLIENT, WRONG_APP_PASSWORD);
        assertEquals("auth failed", first, "a wrong app password");
        JsonNode errors = realm.keycloak().adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&client=mail&max=1").json();
        assertEquals(TYPO_CLIENT, errors.get(0).get("ipAddress").asText(), "the event names the mail client's address: " + errors);

        List<String> answers = new ArrayList<>(List.of(first));
        for (int i = 0; i < 15 && !answers.get(answers.size() - 1).equals("internal failure"); i++) {
            answers.add(authTest(TYPO_CLIENT, WRONG_APP_PASSWORD));
        }
        assertEquals("internal failure", answers.get(answers.size() - 1),
                "forward-auth throttles the address that keeps sending wrong app passwords (429): " + answers);
        // By design, an app password that already matched on this Keycloak node still signs in from a throttled address;
        // one that has not is refused unchecked (429) there, and signs in from any other address.
        assertEquals("auth succeeded", authTest(TYPO_CLIENT, appPassword), "a device already known, from the throttled address");
        assertEquals("internal failure", authTest(TYPO_CLIENT, laptopPassword), "a new app password from the throttled address");
        assertEquals("auth succeeded", authTest(OTHER_CLIENT, laptopPassword), "the same from another mail client's address");
        String imap = MailServers.imapLogin(imapPort, USER, appPassword);
        assertTrue(imap.startsWith("a1 OK"), "IMAP from 127.0.0.1: " + imap + logs());
        System.out.printf("[mail-xff] wrong app passwords from %s until throttled: %s%n", TYPO_CLIENT, answers);
    }

    private String authTest(String address, String password) throws Exception {
        return MailServers.doveadmAuthTest(dir.resolve("dovecot.conf"), address, USER, password);
    }

    private String logs() {
        return MailServers.tails(dir.resolve("dovecot.log"));
    }
}
