package dev.apppasswords.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.secret.AppPasswordSecret;
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
 * "A mail login that mints no token": Debian 12's Dovecot 2.3 with the Lua passdb of
 * {@code docs/recipes/dovecot/} (app-password-passdb.lua and dovecot-2.3-lua.conf, used as they are apart from
 * Keycloak's address, the realm and the script's path). Every IMAP login, and Postfix's SMTP AUTH through Dovecot,
 * is one GET of forward-auth with {@code ?client_id=mail}: no token, no user session. Refusals are Keycloak's
 * LOGIN_ERROR events of the client {@code mail}.
 *
 * <p>Needs Debian's {@code dovecot-imapd}, {@code dovecot-auth-lua} and {@code postfix} ({@code scripts/test}
 * installs them) and root.
 */
@Tag("mail-servers")
class MailLuaPassdbIT extends RealmIT {

    private static final String DOVECOT = "/usr/sbin/dovecot";
    /** The client the recipe's script pins with {@code ?client_id=}. */
    private static final String CLIENT = "mail";
    private static final String WRONG_APP_PASSWORD = "abcd efgh ijkl mnop qrst uvwx";

    private final MailServers servers = new MailServers();
    private Path dir;
    private int imapPort;
    private int smtpPort;
    private String version;
    private String token;
    private String appPassword;

    @Override
    protected String realmPrefix() {
        return "mail-lua";
    }

    @BeforeAll
    void startMailServers() throws Exception {
        DebianPackages.require(DOVECOT, "dovecot-imapd");
        DebianPackages.require("/usr/sbin/postfix", "postfix");
        DebianPackages.requireFile("/usr/lib/dovecot/modules/auth/libauthdb_lua.so", "dovecot-auth-lua");
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("MailLuaPassdbIT starts Dovecot and Postfix's master, which need root; running as " + System.getProperty("user.name"));
        }
        version = MailServers.run(DOVECOT, "--version").split(" ")[0];
        Path base = Path.of(System.getProperty("project.build.directory", "target"), "mail-lua").toAbsolutePath();
        TestFiles.deleteTree(base);
        dir = base.resolve("dovecot");

        token = realm.userToken();
        appPassword = realm.newAppPassword(token, "Phone").get("password").asText();

        imapPort = MailServers.freePort();
        servers.startLuaDovecot23(dir, imapPort, keycloak.baseUrl(), realm.name());
        smtpPort = MailServers.freePort();
        servers.startPostfix(base.resolve("postfix"), smtpPort, dir.resolve("run/auth-postfix"));
    }

    @AfterAll
    void stopMailServers() throws InterruptedException {
        servers.stopAll();
    }

    @Test
    void appPasswordLogsInOverImapAndSmtpWithoutAUserSession() throws Exception {
        String userId = realm.userId(USER);
        int sessions = sessionCount(userId);
        assertImapLogsIn(USER, appPassword, "IMAP LOGIN with the app password");
        String smtp = MailServers.smtpAuth(smtpPort, USER, appPassword);
        assertTrue(smtp.startsWith("235 "), "SMTP AUTH PLAIN with the app password: " + smtp + logs());
        assertEquals(sessions, sessionCount(userId), "forward-auth stores no user session");
    }

    /** The script continues the login under X-Auth-Username: the e-mail address and any case get in. */
    @Test
    void loginByEmailAddressOrInAnyCase() throws Exception {
        assertImapLogsIn("ALICE", appPassword, "upper-case username");
        assertImapLogsIn("alice@example.org", appPassword, "e-mail address as login name");
    }

    /** The mail app cannot send an OTP code, so the account password alone must not get in. */
    @Test
    void accountPasswordIsRefused() throws Exception {
        assertRefused(USER, realm.password(), true);
    }

    @Test
    void wrongAppPasswordIsRefused() throws Exception {
        assertRefused(USER, WRONG_APP_PASSWORD, true);
    }

    /** No cache anywhere: a deleted app password fails at the next login. */
    @Test
    void deletedAppPasswordIsRefusedAtOnce() throws Exception {
        JsonNode laptop = realm.newAppPassword(token, "Laptop");
        String password = laptop.get("password").asText();
        assertImapLogsIn(USER, password, "before the deletion");
        assertEquals(204, realm.deleteAppPassword(token, laptop.get("id").asText()).status());
        assertRefused(USER, password, false);
    }

    /** An expired app password matches, so Keycloak's LOGIN_ERROR names it. */
    @Test
    void expiredAppPasswordIsRefusedAndTheEventNamesIt() throws Exception {
        AppPasswordSecret secret = AppPasswordSecret.generate();
        String userId = realm.importUserWithAppPassword("tom", secret, System.currentTimeMillis() - 60_000);
        JsonNode error = assertRefused("tom", secret.grouped(), false);
        assertEquals("app_password_expired", error.get("error").asText(), error.toString());
        String id = keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/credentials").json().findValues("id").stream()
                .map(JsonNode::asText).filter(candidate -> candidate.equals(error.at("/details/app_password_id").asText()))
                .findFirst().orElse(null);
        assertTrue(id != null, "the event names the user's app password: " + error);
    }

    @Test
    void disabledUserIsRefused() throws Exception {
        String userId = realm.createUser("dora", "Dora-password-1");
        String password = realm.newAppPassword(realm.userToken("dora", "Dora-password-1", null), "Phone").get("password").asText();
        assertImapLogsIn("dora", password, "before the user is disabled");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId, Map.of("enabled", false)).status());
        JsonNode error = assertRefused("dora", password, false);
        assertEquals("user_disabled", error.get("error").asText(), error.toString());
    }

    /** A mail client opens several connections at once: each is one forward-auth request, checked in its own auth worker. */
    @Test
    void parallelImapLoginsOfOneUserAllPassWithoutAUserSession() throws Exception {
        String userId = realm.userId(USER);
        int sessions = sessionCount(userId);
        long started = System.nanoTime();
        List<String> answers = MailServers.parallelImapLogins(imapPort, USER, appPassword);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long ok = answers.stream().filter(a -> a.startsWith("a1 OK")).count();
        assertEquals(MailServers.PARALLEL, ok, "parallel IMAP logins: " + answers + logs());
        assertEquals(sessions, sessionCount(userId), "no user session stored");
        System.out.printf("[mail-lua] Dovecot %s, Lua passdb: %d parallel IMAP logins with one app password, %d OK, %d ms%n",
                version, MailServers.PARALLEL, ok, millis);
    }

    /**
     * The script sends the mail client's address in X-Forwarded-For, but this Keycloak (the test server: no
     * {@code --proxy-headers}) ignores it: the event names Dovecot's address. MailLuaForwardedForIT shows the other case.
     */
    @Test
    void withoutProxyHeadersKeycloakSeesDovecotsAddress() throws Exception {
        String userId = realm.userId(USER);
        int before = loginErrors(userId).size();
        assertEquals("auth failed", MailServers.doveadmAuthTest(dir.resolve("dovecot.conf"), "192.0.2.7", USER, WRONG_APP_PASSWORD));
        JsonNode errors = loginErrors(userId);
        for (int i = 0; i < 50 && errors.size() < before + 1; i++) {
            TestRealm.sleep(100);
            errors = loginErrors(userId);
        }
        assertEquals(before + 1, errors.size(), errors.toString());
        assertEquals("127.0.0.1", errors.get(0).get("ipAddress").asText(), errors.get(0).toString());
    }

    private void assertImapLogsIn(String user, String password, String what) throws Exception {
        String imap = imapLogin(imapPort, user, password);
        assertTrue(imap.startsWith("a1 OK"), what + ": " + imap + logs());
    }

    /**
     * Refused over IMAP ({@code NO [AUTHENTICATIONFAILED]}: forward-auth answered 401, not a temporary failure), and
     * with {@code smtp} also over SMTP (535); Keycloak logged a LOGIN_ERROR of the client {@code mail} for each.
     * Returns the newest of those events.
     */
    private JsonNode assertRefused(String user, String password, boolean smtp) throws Exception {
        String userId = realm.userId(user);
        int before = loginErrors(userId).size();
        String imap = imapLogin(imapPort, user, password);
        assertTrue(imap.startsWith("a1 NO [AUTHENTICATIONFAILED]"), "IMAP LOGIN: " + imap + logs());
        int expected = before + 1;
        if (smtp) {
            String answer = MailServers.smtpAuth(smtpPort, user, password);
            assertTrue(answer.startsWith("535 "), "SMTP AUTH PLAIN: " + answer + logs());
            expected++;
        }
        JsonNode errors = loginErrors(userId);
        for (int i = 0; i < 50 && errors.size() < expected; i++) {
            TestRealm.sleep(100);
            errors = loginErrors(userId);
        }
        assertEquals(expected, errors.size(), "Keycloak refused each login: " + errors);
        assertEquals("forward-auth", errors.get(0).at("/details/auth_method").asText(), errors.get(0).toString());
        return errors.get(0);
    }

    /** LOGIN_ERROR events of the client {@code mail} for this user, newest first. */
    private JsonNode loginErrors(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/events?type=LOGIN_ERROR&client=" + CLIENT + "&max=1000&user=" + userId).json();
    }

    private int sessionCount(String userId) {
        return keycloak.adminGet("/" + realm.name() + "/users/" + userId + "/sessions").json().size();
    }


    private String logs() {
        return MailServers.tails(dir.resolve("dovecot.log"), dir.getParent().resolve("postfix/postfix.log"));
    }
}
