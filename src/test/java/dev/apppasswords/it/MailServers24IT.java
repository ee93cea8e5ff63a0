package dev.apppasswords.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Debian13Root;
import dev.apppasswords.it.support.DebianPackages;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.MailServers;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestFiles;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.apppasswords.it.support.MailServers.imapLogin;
import static dev.apppasswords.it.support.TestRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Dovecot 2.4 (Debian 13's 2.4.1, from the root {@code scripts/debian13-root.sh} caches) with its OAuth2 passdb making
 * Keycloak's password grant for every login, as MailServersIT does with 2.3, and the host's Postfix 3.7 doing SMTP
 * AUTH through the 2.4 auth socket. 2.4 needs a confidential client: the test creates one with a known secret and
 * sets it up with the set-up endpoint's {@code mailClients} and {@code "dovecot": "2.4"}.
 *
 * <p>Dovecot 2.4 runs as {@code unshare --mount} (a private mount namespace: /proc and a bind mount of its test
 * folder at the same path, gone with the process) + {@code chroot} into the root, with no fork, so the process the
 * test starts is Dovecot's master. It shares the host's network. Needs root.
 *
 * <p>Dovecot 2.4.1 answers Keycloak's refusal of the grant ({@code invalid_grant}) as an internal failure:
 * {@code NO [UNAVAILABLE]} instead of 2.3's {@code NO [AUTHENTICATIONFAILED]}. The test asserts {@code NO} and that
 * Keycloak logged a LOGIN_ERROR for each refused login.
 *
 * <p>A second 2.4 runs the no-token Lua passdb of {@code docs/recipes/dovecot/} (the same script MailLuaPassdbIT runs
 * on 2.3), which refuses with {@code NO [AUTHENTICATIONFAILED]}.
 */
@Tag("mail-servers")
class MailServers24IT extends RealmIT {

    private static final String CLIENT = "mail-dovecot24";
    private static final String CLIENT_SECRET = "mail-dovecot24-secret";
    private static final String WRONG_APP_PASSWORD = "abcd efgh ijkl mnop qrst uvwx";

    private final MailServers servers = new MailServers();
    private Path root;
    private Path dir;
    private int imapPort;
    private int luaImapPort;
    private Path luaDir;
    private int smtpPort;
    private String version;
    private String token;
    private String appPassword;
    private String appPasswordId;

    @Override
    protected String realmPrefix() {
        return "mail24";
    }

    @BeforeAll
    void startMailServers() throws Exception {
        root = Debian13Root.require();
        DebianPackages.require("/usr/sbin/postfix", "postfix");
        DebianPackages.require("/usr/bin/unshare", "util-linux");
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("MailServers24IT runs Dovecot through unshare and chroot and starts Postfix's master, which need root; running as "
                    + System.getProperty("user.name"));
        }
        version = MailServers.run("chroot", root.toString(), "/usr/sbin/dovecot", "--version").split(" ")[0];
        Path base = Path.of(System.getProperty("project.build.directory", "target"), "mail-24").toAbsolutePath();
        TestFiles.deleteTree(base);
        dir = base.resolve("dovecot");

        token = realm.userToken();
        JsonNode phone = realm.newAppPassword(token, "Phone");
        appPassword = phone.get("password").asText();
        appPasswordId = phone.get("id").asText();
        createConfidentialMailClient();

        imapPort = MailServers.freePort();
        startDovecot24(dir, "dovecot-2.4.conf", imapPort, Map.of("keycloak", keycloak.baseUrl(), "realm", realm.name(),
                "clientId", CLIENT, "clientSecret", CLIENT_SECRET));
        luaDir = base.resolve("dovecot-lua");
        luaImapPort = MailServers.freePort();
        startLuaDovecot24();
        smtpPort = MailServers.freePort();
        servers.startPostfix(base.resolve("postfix"), smtpPort, dir.resolve("run/auth-postfix"));
    }

    @AfterAll
    void stopMailServers() throws InterruptedException {
        servers.stopAll();
    }

    @Test
    void appPasswordLogsInOverImapAndSmtp() throws Exception {
        assertImapLogsIn(USER, appPassword, "IMAP LOGIN with the app password");
        assertImapLogsIn("ALICE", appPassword, "upper-case username");
        String smtp = MailServers.smtpAuth(smtpPort, USER, appPassword);
        assertTrue(smtp.startsWith("235 "), "SMTP AUTH PLAIN through the 2.4 auth socket: " + smtp + logs());
    }

    /** The mail app cannot send an OTP code, so the account password alone must not get in. */
    @Test
    void accountPasswordIsRefused() throws Exception {
        assertRefused(USER, realm.password());
    }

    @Test
    void wrongAppPasswordIsRefused() throws Exception {
        assertRefused(USER, WRONG_APP_PASSWORD);
    }

    @Test
    void deletedAppPasswordIsRefusedAtOnce() throws Exception {
        JsonNode laptop = realm.newAppPassword(token, "Laptop");
        String password = laptop.get("password").asText();
        assertImapLogsIn(USER, password, "before the deletion");
        assertEquals(204, realm.deleteAppPassword(token, laptop.get("id").asText()).status());
        assertRefused(USER, password);
    }

    /** Each of a mail client's parallel logins is a grant at Keycloak, counted as a LOGIN event naming the app password. */
    @Test
    void parallelImapLoginsOfOneUserAllPassAndEachAsksKeycloak() throws Exception {
        String userId = realm.userId(USER);
        int before = appPasswordLogins(userId);
        long started = System.nanoTime();
        List<String> answers = MailServers.parallelImapLogins(imapPort, USER, appPassword);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long ok = answers.stream().filter(a -> a.startsWith("a1 OK")).count();
        assertEquals(MailServers.PARALLEL, ok, "parallel IMAP logins: " + answers + logs());
        int grants = appPasswordLogins(userId);
        for (int i = 0; i < 50 && grants < before + MailServers.PARALLEL; i++) {
            TestRealm.sleep(100);
            grants = appPasswordLogins(userId);
        }
        assertEquals(MailServers.PARALLEL, grants - before, "each IMAP login is one grant at Keycloak (no auth cache)");
        System.out.printf("[mail-24] Dovecot %s, OAuth2 passdb: %d parallel IMAP logins with one app password, %d OK, %d grants, %d ms%n",
                version, MailServers.PARALLEL, ok, grants - before, millis);
    }

    /**
     * The Lua passdb on 2.4: no token, no user session; a refusal is NO [AUTHENTICATIONFAILED] (forward-auth's 401),
     * not the OAuth2 passdb's NO [UNAVAILABLE], and Keycloak logs it as a LOGIN_ERROR of the client {@code mail}.
     */
    @Test
    void luaPassdbLogsInWithoutATokenAndRefusesAsAuthenticationFailed() throws Exception {
        String userId = realm.userId(USER);
        int sessions = sessionCount(userId);
        String ok = imapLogin(luaImapPort, USER, appPassword);
        assertTrue(ok.startsWith("a1 OK"), "Lua passdb, the app password: " + ok + logs());
        List<String> answers = MailServers.parallelImapLogins(luaImapPort, USER, appPassword);
        assertEquals(MailServers.PARALLEL, answers.stream().filter(a -> a.startsWith("a1 OK")).count(),
                "parallel IMAP logins through the Lua passdb: " + answers + logs());
        assertEquals(sessions, sessionCount(userId), "no user session stored");

        int before = forwardAuthErrors(userId);
        String wrong = imapLogin(luaImapPort, USER, WRONG_APP_PASSWORD);
        assertTrue(wrong.startsWith("a1 NO [AUTHENTICATIONFAILED]"), "Lua passdb, a wrong app password: " + wrong + logs());
        String account = imapLogin(luaImapPort, USER, realm.password());
        assertTrue(account.startsWith("a1 NO [AUTHENTICATIONFAILED]"), "Lua passdb, the account password: " + account + logs());
        int errors = forwardAuthErrors(userId);
        for (int i = 0; i < 50 && errors < before + 2; i++) {
            TestRealm.sleep(100);
            errors = forwardAuthErrors(userId);
        }
        assertEquals(before + 2, errors, "Keycloak's forward-auth refused both");
    }

    private int forwardAuthErrors(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&client=mail&max=1000&user=" + userId).json().size();
    }

    private int sessionCount(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size();
    }

    private void assertImapLogsIn(String user, String password, String what) throws Exception {
        String imap = imapLogin(imapPort, user, password);
        assertTrue(imap.startsWith("a1 OK"), what + ": " + imap + logs());
    }

    /**
     * Refused over IMAP ({@code NO}: 2.4.1 says {@code [UNAVAILABLE]} for Keycloak's invalid_grant) and over SMTP
     * (535), and both times by Keycloak: two more LOGIN_ERROR events of the client.
     */
    private void assertRefused(String user, String password) throws Exception {
        String userId = realm.userId(user);
        int before = loginErrors(userId);
        String imap = imapLogin(imapPort, user, password);
        assertTrue(imap.startsWith("a1 NO"), "IMAP LOGIN: " + imap + logs());
        String smtp = MailServers.smtpAuth(smtpPort, user, password);
        assertTrue(smtp.startsWith("535 "), "SMTP AUTH PLAIN: " + smtp + logs());
        int errors = loginErrors(userId);
        for (int i = 0; i < 50 && errors < before + 2; i++) {
            TestRealm.sleep(100);
            errors = loginErrors(userId);
        }
        assertEquals(before + 2, errors, "Keycloak refused both the IMAP and the SMTP login (IMAP said: " + imap + ")");
        System.out.printf("[mail-24] Dovecot %s, OAuth2 passdb, refused by Keycloak: IMAP \"%s\", SMTP \"%s\"%n", version, imap, smtp);
    }

    private int loginErrors(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&client=" + CLIENT + "&max=1000&user=" + userId).json().size();
    }

    /** LOGIN events of the client for this user that name the app password. */
    private int appPasswordLogins(String userId) {
        JsonNode events = keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN&client=" + CLIENT + "&max=1000&user=" + userId).json();
        int count = 0;
        for (JsonNode event : events) {
            if (appPasswordId.equals(event.path("details").path("app_password_id").asText())) {
                count++;
            }
        }
        return count;
    }

    /**
     * As an admin sets up Dovecot 2.4: a confidential client with a secret (Keycloak's defaults otherwise), then the
     * set-up endpoint's {@code mailClients} for {@code "dovecot": "2.4"}, which says the secret is needed.
     */
    private void createConfidentialMailClient() {
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of("clientId", CLIENT,
                "publicClient", false, "clientAuthenticatorType", "client-secret", "secret", CLIENT_SECRET,
                "standardFlowEnabled", false)).status());
        Http.Response setup = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords/setup",
                keycloak.admin(), Map.of("mailClients", List.of(CLIENT), "dovecot", "2.4"));
        assertEquals(200, setup.status(), setup.body());
        JsonNode server = setup.json().get("mailServers").get(0);
        assertTrue(server.get("clientSecretNeeded").asBoolean(), setup.body());
    }

    /**
     * The no-token recipe of docs/recipes/dovecot on 2.4: the same app-password-passdb.lua as MailLuaPassdbIT runs on
     * 2.3 (pinned to the client {@code mail}), included by dovecot-2.4-lua.conf; only addresses and paths filled in.
     */
    private void startLuaDovecot24() throws Exception {
        Files.createDirectories(luaDir);
        Path recipes = Path.of("docs/recipes/dovecot");
        Path script = luaDir.resolve("app-password-passdb.lua");
        MailServers.write(script, MailServers.replaceOnce(Files.readString(recipes.resolve("app-password-passdb.lua")),
                "\"https://keycloak.example.org/realms/example/app-passwords/forward-auth?client_id=mail\"",
                "\"" + keycloak.baseUrl() + "/realms/" + realm.name() + "/app-passwords/forward-auth?client_id=mail\""));
        MailServers.write(luaDir.resolve("dovecot-2.4-lua.conf"), MailServers.replaceOnce(
                Files.readString(recipes.resolve("dovecot-2.4-lua.conf")), "/etc/dovecot/app-password-passdb.lua", script.toString()));
        startDovecot24(luaDir, "dovecot-2.4-lua.conf", luaImapPort, Map.of());
    }

    /** Dovecot 2.4 from the Debian 13 root, its folder bind-mounted at the same path: one path works on both sides. */
    private void startDovecot24(Path dir, String template, int port, Map<String, String> values) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = dir.resolve("dovecot.conf");
        Map<String, String> all = new java.util.HashMap<>(values);
        all.putAll(Map.of("dir", dir.toString(), "name", dir.getFileName().toString(), "imapPort", String.valueOf(port)));
        MailServers.write(conf, MailServers.template(Path.of("src/test/resources/mail", template), all));
        // unshare, sh and chroot exec one another: the process is Dovecot's master, and a SIGTERM stops it.
        Process process = servers.start(dir, "dovecot.out", "unshare", "--mount", "--propagation", "private", "--",
                "sh", "-euc", "mount -t proc proc \"$0/proc\"; mkdir -p \"$0$1\"; mount --bind \"$1\" \"$0$1\";"
                        + " exec chroot \"$0\" /usr/sbin/dovecot -F -c \"$1/dovecot.conf\"",
                root.toString(), dir.toString());
        MailServers.awaitGreeting(process, port, "* OK", dir.resolve("dovecot.out"), dir.resolve("dovecot.log"));
    }

    private String logs() {
        return MailServers.tails(dir.resolve("dovecot.log"), luaDir.resolve("dovecot.log"), dir.getParent().resolve("postfix/postfix.log"));
    }
}
