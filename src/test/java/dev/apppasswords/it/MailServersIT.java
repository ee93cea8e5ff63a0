package dev.apppasswords.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.MailServers;
import dev.apppasswords.it.support.TestFiles;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.apppasswords.it.support.MailServers.awaitGreeting;
import static dev.apppasswords.it.support.MailServers.freePort;
import static dev.apppasswords.it.support.MailServers.imapLogin;
import static dev.apppasswords.it.support.MailServers.parallelImapLogins;
import static dev.apppasswords.it.support.MailServers.run;
import static dev.apppasswords.it.support.MailServers.tails;
import static dev.apppasswords.it.support.MailServers.write;
import static dev.apppasswords.it.support.TestRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Dovecot (IMAP) and Postfix (SMTP AUTH through Dovecot's SASL service) on loopback ports, with
 * Dovecot's OAuth2 passdb making Keycloak's password grant for every login — the README's "Dovecot and
 * Postfix" configuration ({@code src/test/resources/mail/}), apart from ports and paths. The clients are plain
 * sockets speaking IMAP and SMTP. Two more Dovecots with their auth cache on show why the README recommends
 * keeping that cache off, or at least {@code auth_cache_negative_ttl = 0}.
 *
 * <p>Needs the Debian packages {@code dovecot-imapd} and {@code postfix} (installed by {@code .ci/run}) and
 * root, as CI has: Postfix's master and Dovecot switch to their own users.
 */
@Tag("mail-servers")
class MailServersIT extends RealmIT {

    private static final String DOVECOT = "/usr/sbin/dovecot";
    private static final String POSTFIX = "/usr/sbin/postfix";
    private static final int PARALLEL = MailServers.PARALLEL;
    private static final String WRONG_APP_PASSWORD = "abcd efgh ijkl mnop qrst uvwx";

    private final MailServers servers = new MailServers();
    private Path base;
    private int imapPort;
    private int cachingImapPort;
    private int cachingWithoutNegativeImapPort;
    private int transientImapPort;
    private int smtpPort;
    private String versions;
    private String token;
    private String appPassword;
    private String appPasswordId;

    @Override
    protected String realmPrefix() {
        return "mail";
    }

    @BeforeAll
    void startMailServers() throws Exception {
        requireInstalled();
        versions = "Dovecot " + run(DOVECOT, "--version").split(" ")[0] + ", Postfix "
                + run("/usr/sbin/postconf", "-d", "-h", "mail_version");
        base = Path.of(System.getProperty("project.build.directory", "target"), "mail").toAbsolutePath();
        TestFiles.deleteTree(base);

        token = realm.userToken();
        JsonNode phone = realm.newAppPassword(token, "Phone");
        appPassword = phone.get("password").asText();
        appPasswordId = phone.get("id").asText();

        imapPort = freePort();
        Path dovecot = startDovecot("dovecot", "mail-parallel", imapPort, "0", "1 hour", "1 hour");
        smtpPort = freePort();
        servers.startPostfix(base.resolve("postfix"), smtpPort, dovecot.resolve("run/auth-postfix"));
        cachingImapPort = freePort();
        startDovecot("dovecot-cache", "mail-parallel", cachingImapPort, "10M", "1 hour", "1 hour");
        cachingWithoutNegativeImapPort = freePort();
        startDovecot("dovecot-cache-no-negative", "mail-parallel", cachingWithoutNegativeImapPort, "10M", "1 hour", "0");
        createCheapestLoginClient("mail-cheapest");
        transientImapPort = freePort();
        startDovecot("dovecot-transient", "mail-cheapest", transientImapPort, "0", "1 hour", "1 hour");
    }

    @AfterAll
    void stopMailServers() throws InterruptedException {
        servers.stopAll();
    }

    @Test
    void appPasswordLogsInOverImapAndSmtp() throws Exception {
        assertImapLogsIn(imapPort, USER, appPassword, "IMAP LOGIN with the app password");
        assertSmtpAuthenticates(USER, appPassword, "SMTP AUTH PLAIN with the app password");
    }

    /**
     * Dovecot compares the login name with userinfo's preferred_username (lower-cased, as Keycloak stores
     * usernames): the username in any case gets in, the email address does not, though Keycloak's grant accepts it.
     */
    @Test
    void loginNameIsTheKeycloakUsernameInAnyCase() throws Exception {
        assertImapLogsIn(imapPort, "ALICE", appPassword, "upper-case username");
        String byEmail = imapLogin(imapPort, "alice@example.org", appPassword);
        assertTrue(byEmail.startsWith("a1 NO [AUTHENTICATIONFAILED]"), "email address as login name: " + byEmail + logs());
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

    /** Without Dovecot's auth cache, every login asks Keycloak: a deleted app password fails at once. */
    @Test
    void deletedAppPasswordIsRefusedAtOnce() throws Exception {
        JsonNode laptop = realm.newAppPassword(token, "Laptop");
        String password = laptop.get("password").asText();
        assertImapLogsIn(imapPort, USER, password, "IMAP before the deletion");
        assertSmtpAuthenticates(USER, password, "SMTP before the deletion");
        assertEquals(204, realm.deleteAppPassword(token, laptop.get("id").asText()).status());
        assertRefused(USER, password);
    }

    /**
     * A mail client opens several connections at once. With the app-password step first in the client's
     * flow, Keycloak lets parallel logins of one user through; with no cache in front, each of them is a
     * grant at Keycloak (counted as LOGIN events naming the app password).
     */
    @Test
    void parallelImapLoginsOfOneUserAllPassAndEachAsksKeycloak() throws Exception {
        String userId = realm.userId(USER);
        int before = appPasswordLogins(userId, appPasswordId);
        long started = System.nanoTime();
        List<String> answers = parallelImapLogins(imapPort, USER, appPassword);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long ok = answers.stream().filter(a -> a.startsWith("a1 OK")).count();
        assertEquals(PARALLEL, ok, "parallel IMAP logins: " + answers + logs());
        int grants = awaitAppPasswordLogins(userId, appPasswordId, before + PARALLEL) - before;
        assertEquals(PARALLEL, grants, "each IMAP login is one grant at Keycloak (no auth cache)");
        System.out.printf("[mail] %s: %d parallel IMAP logins with one app password, %d OK, %d grants at Keycloak, %d ms%n",
                versions, PARALLEL, ok, grants, millis);
    }

    /**
     * Why the README says to leave Dovecot's auth cache off: Dovecot 2.3 caches one password per user.
     * With its default TTLs (1 hour), a deleted app password keeps working from the cache, and after one
     * failed login every other app password of the user is refused from the cache without asking Keycloak,
     * until the cached entry is older than {@code auth_cache_negative_ttl}.
     */
    @Test
    void withDovecotsAuthCacheADeletedAppPasswordWorksAndAWrongOneLocksOutTheOthers() throws Exception {
        realm.createUser("carol", "Carol-password-1");
        String carolToken = realm.userToken("carol", "Carol-password-1", null);
        JsonNode phone = realm.newAppPassword(carolToken, "Phone");
        String phonePassword = phone.get("password").asText();
        String laptopPassword = realm.newAppPassword(carolToken, "Laptop").get("password").asText();

        assertImapLogsIn(cachingImapPort, "carol", phonePassword, "first login, now cached");
        assertEquals(204, realm.deleteAppPassword(carolToken, phone.get("id").asText()).status());
        assertImapLogsIn(cachingImapPort, "carol", phonePassword, "the deleted app password, answered from Dovecot's cache");
        assertRefusedByImap(imapPort, "carol", phonePassword);

        assertRefusedByImap(cachingImapPort, "carol", WRONG_APP_PASSWORD);
        String laptop = imapLogin(cachingImapPort, "carol", laptopPassword);
        assertTrue(laptop.startsWith("a1 NO"), "a valid app password, refused from the cache: " + laptop + logs());
        assertImapLogsIn(imapPort, "carol", laptopPassword, "the same app password without the cache");
    }

    /**
     * With the cache on but {@code auth_cache_negative_ttl = 0}, a failed login locks out no other app
     * password: Dovecot counts the negative TTL from when it cached the entry, in whole seconds, so once the
     * entry is a second old another app password asks Keycloak again and gets in. A deleted app password
     * still works from the cache until {@code auth_cache_ttl} ends.
     */
    @Test
    void withTheCacheButNoNegativeCachingAFailedLoginLocksOutNoOtherAppPassword() throws Exception {
        realm.createUser("dave", "Dave-password-1");
        String daveToken = realm.userToken("dave", "Dave-password-1", null);
        JsonNode phone = realm.newAppPassword(daveToken, "Phone");
        String phonePassword = phone.get("password").asText();
        String laptopPassword = realm.newAppPassword(daveToken, "Laptop").get("password").asText();
        int port = cachingWithoutNegativeImapPort;

        assertImapLogsIn(port, "dave", phonePassword, "first login, now cached");
        long cachedBy = System.currentTimeMillis();
        assertEquals(204, realm.deleteAppPassword(daveToken, phone.get("id").asText()).status());
        assertImapLogsIn(port, "dave", phonePassword, "the deleted app password, answered from Dovecot's cache");
        // The entry must be older than the negative TTL (0 s): Dovecot compares whole seconds.
        while (System.currentTimeMillis() < cachedBy + 1000) {
            TestRealm.sleep(cachedBy + 1000 - System.currentTimeMillis());
        }
        assertRefusedByImap(port, "dave", WRONG_APP_PASSWORD);
        assertImapLogsIn(port, "dave", laptopPassword, "another app password right after a failed login");
        assertRefusedByImap(port, "dave", WRONG_APP_PASSWORD);
    }

    /**
     * The README's "cheapest login" for mail servers, set up by the set-up endpoint's {@code mailClients}: the
     * App Password step first, Transient sessions on, no refresh tokens, HS256 tokens. Dovecot's
     * grant-then-userinfo works, parallel logins pass, no user session is stored, and a deleted app password
     * fails at the next login.
     */
    @Test
    void cheapestLoginTransientSessionsWorkThroughDovecot() throws Exception {
        String userId = realm.createUser("erin", "Erin-password-1");
        String erinToken = realm.userToken("erin", "Erin-password-1", null);
        JsonNode phone = realm.newAppPassword(erinToken, "Phone");
        String password = phone.get("password").asText();
        int sessions = sessionCount(userId);
        Http.Response grant = realm.grant("mail-cheapest", "erin", password, null);
        assertEquals(200, grant.status(), grant.body());
        String header = new String(Base64.getUrlDecoder().decode(grant.json().get("access_token").asText().split("\\.")[0]),
                StandardCharsets.UTF_8);
        assertTrue(!grant.json().has("refresh_token") && header.contains("\"alg\":\"HS256\""),
                "what Dovecot gets: no refresh token, an HS256 token: " + header + " " + grant.body());

        List<String> answers = parallelImapLogins(transientImapPort, "erin", password);
        assertEquals(PARALLEL, answers.stream().filter(a -> a.startsWith("a1 OK")).count(),
                "parallel IMAP logins with transient sessions: " + answers + logs());
        assertEquals(sessions, sessionCount(userId), "no user session stored");

        assertEquals(204, realm.deleteAppPassword(erinToken, phone.get("id").asText()).status());
        assertRefusedByImap(transientImapPort, "erin", password);
    }

    private void assertImapLogsIn(int port, String user, String password, String what) throws IOException {
        String imap = imapLogin(port, user, password);
        assertTrue(imap.startsWith("a1 OK"), what + ": " + imap + logs());
    }

    private void assertSmtpAuthenticates(String user, String password, String what) throws IOException {
        String smtp = smtpAuth(user, password);
        assertTrue(smtp.startsWith("235 "), what + ": " + smtp + logs());
    }

    /**
     * Refused over IMAP and SMTP, and both times by Keycloak: Postfix answers 535 also when Dovecot cannot
     * reach Keycloak, so the test counts Keycloak's LOGIN_ERROR events too (one per attempt).
     */
    private void assertRefused(String user, String password) throws IOException {
        String userId = realm.userId(user);
        int before = loginErrors(userId);
        assertRefusedByImap(imapPort, user, password);
        String smtp = smtpAuth(user, password);
        assertTrue(smtp.startsWith("535 "), "SMTP AUTH PLAIN: " + smtp + logs());
        assertEquals(before + 2, awaitLoginErrors(userId, before + 2), "Keycloak refused both the IMAP and the SMTP login");
    }

    private void assertRefusedByImap(int port, String user, String password) throws IOException {
        String imap = imapLogin(port, user, password);
        // AUTHENTICATIONFAILED is Keycloak's invalid_grant; Keycloak unreachable would be [UNAVAILABLE].
        assertTrue(imap.startsWith("a1 NO [AUTHENTICATIONFAILED]"), "IMAP LOGIN: " + imap + logs());
    }

    /** SMTP AUTH PLAIN at the test's Postfix; returns the answer to AUTH (235 or 535 ...). */
    private String smtpAuth(String user, String password) throws IOException {
        return MailServers.smtpAuth(smtpPort, user, password);
    }

    // ---- Keycloak's events ----

    /** LOGIN events of the client mail-parallel for this user that name this app password. */
    private int appPasswordLogins(String userId, String id) {
        JsonNode events = keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN&client=mail-parallel&max=1000&user=" + userId).json();
        int count = 0;
        for (JsonNode event : events) {
            JsonNode details = event.get("details");
            if (details != null && id.equals(details.path("app_password_id").asText())) {
                count++;
            }
        }
        return count;
    }

    /** LOGIN_ERROR events of the client mail-parallel for this user. */
    private int loginErrors(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&client=mail-parallel&max=1000&user=" + userId).json().size();
    }

    /** Waits (up to 5 s) until at least {@code expected} LOGIN_ERROR events are stored; returns the last count. */
    private int awaitLoginErrors(String userId, int expected) {
        int count = loginErrors(userId);
        for (int i = 0; i < 50 && count < expected; i++) {
            TestRealm.sleep(100);
            count = loginErrors(userId);
        }
        return count;
    }

    /** Waits (up to 5 s) until at least {@code expected} such events are stored; returns the last count. */
    private int awaitAppPasswordLogins(String userId, String id, int expected) {
        int count = appPasswordLogins(userId, id);
        for (int i = 0; i < 50 && count < expected; i++) {
            TestRealm.sleep(100);
            count = appPasswordLogins(userId, id);
        }
        return count;
    }

    private int sessionCount(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size();
    }

    /**
     * The README's cheapest login, as an admin sets it up: a client made with Keycloak's defaults, then the set-up
     * endpoint's {@code mailClients} (its own flow with the App Password step first and Transient sessions on,
     * no refresh tokens, HS256 access and ID tokens).
     */
    private void createCheapestLoginClient(String clientId) {
        assertEquals(201, keycloak.adminJson("POST", "/" + realm.name() + "/clients", Map.of("clientId", clientId,
                "publicClient", true, "standardFlowEnabled", false)).status());
        Http.Response setup = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + realm.name() + "/app-passwords/setup",
                keycloak.admin(), Map.of("mailClients", List.of(clientId)));
        assertEquals(200, setup.status(), setup.body());
        assertEquals("direct_grant flow bound, direct access grants turned on, refresh tokens turned off, access and ID tokens signed with HS256",
                setup.json().at("/clients/" + clientId).asText(), setup.body());
    }

    // ---- the servers ----

    private static void requireInstalled() {
        List<String> missing = Stream.of(DOVECOT, POSTFIX).filter(b -> !Files.isExecutable(Path.of(b))).toList();
        if (!missing.isEmpty()) {
            fail("MailServersIT needs Debian's dovecot-imapd and postfix (missing: " + String.join(", ", missing)
                    + "). .ci/run installs them; by hand: apt-get update && DEBIAN_FRONTEND=noninteractive "
                    + "apt-get install -y --no-install-recommends dovecot-imapd postfix");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("MailServersIT starts Dovecot and Postfix's master, which need root (as on CI); running as "
                    + System.getProperty("user.name"));
        }
    }

    /** A Dovecot of its own under target/mail/{name}, logging in at {@code clientId}, IMAP on {@code port}; returns its folder. */
    private Path startDovecot(String name, String clientId, int port, String cacheSize, String cacheTtl, String cacheNegativeTtl)
            throws Exception {
        Path dir = base.resolve(name);
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = dir.resolve("dovecot.conf");
        write(conf, template("dovecot.conf", Map.of("dir", dir.toString(), "name", name, "imapPort", String.valueOf(port),
                "authCacheSize", cacheSize, "authCacheTtl", cacheTtl, "authCacheNegativeTtl", cacheNegativeTtl)));
        write(dir.resolve("dovecot-oauth2.conf.ext"), template("dovecot-oauth2.conf.ext",
                Map.of("keycloak", keycloak.baseUrl(), "realm", realm.name(), "clientId", clientId)));
        Process process = servers.start(dir, "dovecot.out", DOVECOT, "-F", "-c", conf.toString());
        awaitGreeting(process, port, "* OK", dir.resolve("dovecot.out"), dir.resolve("dovecot.log"));
        return dir;
    }

    private String logs() {
        return tails(base.resolve("dovecot/dovecot.log"), base.resolve("dovecot-cache/dovecot.log"),
                base.resolve("dovecot-cache-no-negative/dovecot.log"), base.resolve("postfix/postfix.log"));
    }

    private static String template(String name, Map<String, String> values) throws IOException {
        return MailServers.template(Path.of("src/test/resources/mail", name), values);
    }
}
