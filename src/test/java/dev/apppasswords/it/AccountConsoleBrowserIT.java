package dev.apppasswords.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apppasswords.it.support.Browser;
import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import dev.apppasswords.it.support.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak's stock account console (keycloak.v3) and this extension's page, in a real headless Chromium.
 * Screenshots of every page land in {@code target/screenshots/}.
 */
class AccountConsoleBrowserIT extends RealmIT {

    private static final By CREATE_LINK = By.cssSelector("[data-testid='app-password/create']");
    private static final By CREDENTIAL_LIST = By.cssSelector("[data-testid='app-password/credential-list']");
    private static final String XSS_NAME = "<img src=x onerror=alert(1)>";

    @Override
    protected String realmPrefix() {
        return "console";
    }

    @BeforeAll
    void setUp() {
        Browser.requireInstalled();
    }

    /** Alice (password + OTP): set up an app password from "Signing in", use it, delete it there. */
    @Test
    void setUpUseAndDeleteFromTheAccountConsole() {
        try (Browser browser = new Browser()) {
            signIn(browser, TestRealm.USER, realm.password(), true);
            awaitAccountConsole(browser);
            openSigningIn(browser);
            browser.waitForText(By.cssSelector("[data-testid='app-password/title']"), "App passwords");
            browser.screenshot("01-signing-in");

            clickVisible(browser, CREATE_LINK);
            browser.visible(By.id("deviceName"));
            assertTrue(browser.visible(By.id("app-password-count")).getText().contains("0 of 40"), browser.pageSource());
            assertFalse(browser.all(By.id("kc-app-password-cancel")).isEmpty(), "an application-initiated action can be cancelled");
            browser.screenshot("02-create-app-password");
            browser.type(By.id("deviceName"), "Thunderbird");
            browser.click(By.id("kc-app-password-create"));

            String password = browser.visible(By.id("app-password-value")).getText().strip();
            assertTrue(password.matches("([a-z]{4} ){5}[a-z]{4}"), password);
            assertEquals("Thunderbird", browser.visible(By.id("app-password-name")).getText());
            assertTrue(browser.visible(By.id("app-password-where")).getText().contains("in place of your account password"));
            browser.visible(By.id("kc-app-password-copy"));
            browser.screenshot("03-app-password-created");

            Http.Response grant = realm.grant("mail", password);
            assertEquals(200, grant.status(), "the app password works without OTP: " + grant.body());

            browser.click(By.id("kc-app-password-done"));
            awaitAccountConsole(browser);
            openSigningIn(browser);
            browser.waitForText(CREDENTIAL_LIST, "Thunderbird");
            browser.screenshot("04-signing-in-with-app-password");

            browser.click(By.cssSelector("[data-testid='app-password/credential-list'] [data-testrole='remove']"));
            browser.click(By.id("kc-accept"));
            // The console deletes in the background and then redraws the list; leaving earlier would cancel it.
            browser.visible(By.cssSelector("[data-testid='app-password/not-set-up']"));
            openSigningIn(browser);
            browser.visible(By.cssSelector("[data-testid='app-password/not-set-up']"));
            assertFalse(browser.visible(CREDENTIAL_LIST).getText().contains("Thunderbird"));

            Http.Response refused = realm.grant("mail", password);
            assertEquals(400, refused.status(), "deleted in the account console, refused at once: " + refused.body());
            Http.Response refreshed = realm.refresh("mail", grant);
            assertEquals(400, refreshed.status(), "and the session it signed in is over: " + refreshed.body());
        }
    }

    /**
     * A new user with the default action: the page at first sign-in (with a hostile device name), then the
     * limit, deleting from the page, creation turned off, and never being asked again.
     */
    @Test
    void firstSignInLimitAndPolicy() {
        String user = "newbie";
        String password = "Newbie-password-1";
        realm.updateAppPasswordAction(true, true);
        try {
            realm.createUser(user, password);
        } finally {
            realm.updateAppPasswordAction(true, false);
        }
        String userPath = "/" + realm.name() + "/users/" + realm.userId(user);
        assertTrue(keycloak.adminGet(userPath).json().get("requiredActions").toString().contains("create-app-password"));

        try (Browser browser = new Browser()) {
            signIn(browser, user, password, false);
            browser.visible(By.id("deviceName"));
            assertTrue(browser.all(By.id("kc-app-password-cancel")).isEmpty(), "the first app password cannot be skipped");
            assertEquals("App password 1", browser.visible(By.id("deviceName")).getAttribute("value"));
            browser.screenshot("05-first-sign-in");
            browser.type(By.id("deviceName"), XSS_NAME);
            browser.click(By.id("kc-app-password-create"));

            WebElement name = browser.visible(By.id("app-password-name"));
            assertEquals(XSS_NAME, name.getText(), "the name is shown as text");
            assertTrue(browser.all(By.cssSelector("#app-password-page img")).isEmpty(), "no element was injected");
            assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
            browser.screenshot("06-created-with-hostile-name");
            browser.click(By.id("kc-app-password-done"));
            awaitAccountConsole(browser);
            assertEquals(0, keycloak.adminGet(userPath).json().get("requiredActions").size(), "the action is done");

            // At the limit (3 here, to keep it short): the page lists the app passwords and deletes one.
            assertEquals(204, realm.configureAppPasswordAction(Map.of("max_app_passwords", "3")).status());
            String token = realm.userToken(user, password, null);
            realm.newAppPassword(token, "Phone");
            realm.newAppPassword(token, "Laptop");
            openSigningIn(browser);
            clickVisible(browser, CREATE_LINK);
            assertTrue(browser.visible(By.id("app-password-limit")).getText().contains("3 of 3"), browser.pageSource());
            List<WebElement> rows = browser.all(By.cssSelector("#app-password-list tbody tr"));
            assertEquals(3, rows.size());
            assertEquals(XSS_NAME, rows.get(0).findElement(By.className("app-password-row-name")).getText());
            WebElement created = rows.get(0).findElement(By.cssSelector("time.app-password-time"));
            assertTrue(created.getAttribute("datetime").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), created.getAttribute("datetime"));
            assertTrue(created.getAttribute("title").endsWith("UTC") && !created.getText().endsWith("UTC"),
                    "shown in the browser's time zone, UTC in the tooltip: " + created.getText());
            assertTrue(browser.all(By.cssSelector("#app-password-page img")).isEmpty(), "no element was injected");
            browser.screenshot("07-limit-reached");

            // A forged delete (same cookies, as a cross-site form would send, but without the page's session code) deletes nothing.
            browser.driver().executeScript("for (const f of document.querySelectorAll('#app-password-list form')) "
                    + "{ f.setAttribute('action', f.getAttribute('action').replace(/session_code=[^&]*/, 'session_code=forged')); }");
            browser.clickAndAwaitNewPage(By.xpath("//tr[td[@class='app-password-row-name' and text()='Laptop']]//button"));
            browser.screenshot("07b-after-forged-delete");
            assertFalse(browser.pageSource().contains("The app password was deleted"));
            assertEquals(3, realm.listAppPasswords(token).json().size(), "nothing deleted by a forged request");
            openSigningIn(browser);
            clickVisible(browser, CREATE_LINK);
            browser.visible(By.id("app-password-limit"));

            browser.click(By.xpath("//tr[td[@class='app-password-row-name' and text()='Phone']]//button"));
            browser.visible(By.id("deviceName"));
            assertTrue(browser.visible(By.id("app-password-count")).getText().contains("2 of 3"), browser.pageSource());
            assertTrue(browser.pageSource().contains("The app password was deleted"));
            browser.screenshot("08-deleted-from-the-page");
            JsonNode left = realm.listAppPasswords(token).json();
            assertEquals(2, left.size(), left.toString());
            assertFalse(left.toString().contains("Phone"));
            browser.click(By.id("kc-app-password-cancel"));
            awaitAccountConsole(browser);

            // Creation turned off: the page says so and lets the user go on.
            assertEquals(204, realm.configureAppPasswordAction(Map.of("allow_creation", "false")).status());
            openSigningIn(browser);
            clickVisible(browser, CREATE_LINK);
            browser.visible(By.id("app-password-disabled"));
            browser.screenshot("09-creation-turned-off");
            browser.click(By.id("kc-app-password-continue"));
            awaitAccountConsole(browser);
            assertEquals(2, realm.listAppPasswords(token).json().size());
        } finally {
            realm.configureAppPasswordAction(Map.of());
        }

        // The action pending again (an admin, a default action): a user who has an app password is not asked.
        assertEquals(204, keycloak.adminJson("PUT", userPath, Map.of("requiredActions", List.of("create-app-password"))).status());
        try (Browser browser = new Browser()) {
            signIn(browser, user, password, false);
            awaitAccountConsole(browser);
            assertTrue(browser.all(By.id("deviceName")).isEmpty(), "not asked again");
            assertEquals(0, keycloak.adminGet(userPath).json().get("requiredActions").size());
        }
    }

    /** offer_after_otp: a user with OTP and no app password is offered the page once, and may decline. */
    @Test
    void offerAfterOtpIsMadeOnceAndCanBeDeclined() {
        TestRealm offerRealm = TestRealm.create(keycloak, "offer");
        try {
            assertEquals(204, offerRealm.configureAppPasswordAction(Map.of("offer_after_otp", "true")).status());
            try (Browser browser = new Browser()) {
                signIn(browser, offerRealm, TestRealm.USER, offerRealm.password(), true);
                browser.visible(By.id("deviceName"));
                assertTrue(browser.all(By.id("kc-app-password-cancel")).isEmpty());
                browser.screenshot("10-offered-after-otp");
                browser.click(By.id("kc-app-password-skip"));
                browser.waitForUrlStartingWith(offerRealm.url("/account"));
                browser.visible(By.id("app"));
            }
            assertEquals(0, offerRealm.listAppPasswords(offerRealm.userToken()).json().size(), "declined: none created");
            try (Browser browser = new Browser()) {
                signIn(browser, offerRealm, TestRealm.USER, offerRealm.password(), true);
                browser.waitForUrlStartingWith(offerRealm.url("/account"));
                browser.visible(By.id("app"));
                assertTrue(browser.all(By.id("deviceName")).isEmpty(), "offered only once");
            }
        } finally {
            offerRealm.delete();
        }
    }

    /**
     * offer_after_otp, the case it is named for: a user sets up OTP during a sign-in and is offered an
     * app password right after, in the same sign-in; the one created there works at once.
     */
    @Test
    void offerRightAfterSettingUpOtp() {
        TestRealm offerRealm = TestRealm.create(keycloak, "otp-offer");
        try {
            assertEquals(204, offerRealm.configureAppPasswordAction(Map.of("offer_after_otp", "true")).status());
            String userId = offerRealm.createUser("otto", "Otto-password-1");
            assertEquals(204, keycloak.adminJson("PUT", "/" + offerRealm.name() + "/users/" + userId,
                    Map.of("requiredActions", List.of("CONFIGURE_TOTP"))).status());
            try (Browser browser = new Browser()) {
                signIn(browser, offerRealm, "otto", "Otto-password-1", false);
                // Keycloak's OTP set-up page; the hidden field holds the secret Keycloak computes codes from.
                String secret = browser.driver().findElement(By.id("totpSecret")).getAttribute("value");
                browser.type(By.id("totp"), Totp.now(secret));
                browser.type(By.id("userLabel"), "Authenticator app");
                browser.clickAndAwaitNewPage(By.id("saveTOTPBtn"));

                browser.visible(By.id("deviceName"));
                assertFalse(browser.all(By.id("kc-app-password-skip")).isEmpty(), "an offer the user may decline");
                browser.screenshot("11-offered-right-after-otp-setup");
                browser.type(By.id("deviceName"), "Mail on the phone");
                browser.click(By.id("kc-app-password-create"));
                String password = browser.visible(By.id("app-password-value")).getText().strip();
                Http.Response grant = offerRealm.grant("mail", "otto", password, null);
                assertEquals(200, grant.status(), "the offered app password works without OTP: " + grant.body());
                browser.click(By.id("kc-app-password-done"));
                browser.waitForUrlStartingWith(offerRealm.url("/account"));
                browser.visible(By.id("app"));
            }
            Http.Response withoutOtp = offerRealm.grant("mail", "otto", "Otto-password-1", null);
            assertEquals(400, withoutOtp.status(), "the account password now needs the OTP: " + withoutOtp.body());
        } finally {
            offerRealm.delete();
        }
    }

    /**
     * A user changes their own password (here: an "Update password" action an admin asked for): all their app
     * passwords are revoked, as the realm policy says by default.
     */
    @Test
    void changingThePasswordRevokesTheAppPasswords() {
        String userId = realm.createUser("paul", "Paul-password-1");
        String appPassword = realm.newAppPasswordOf("paul", "Paul-password-1", "Phone");
        assertEquals(200, realm.grant("sync", "paul", appPassword, null).status());
        Http.Response user = keycloak.adminGet("/" + realm.name() + "/users/" + userId);
        JsonNode rep = user.json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) rep).putArray("requiredActions").add("UPDATE_PASSWORD");
        assertEquals(204, keycloak.adminJson("PUT", "/" + realm.name() + "/users/" + userId, rep).status());

        try (Browser browser = new Browser()) {
            signIn(browser, "paul", "Paul-password-1", false);
            browser.type(By.id("password-new"), "Paul-password-2");
            browser.type(By.id("password-confirm"), "Paul-password-2");
            browser.screenshot("10-update-password");
            browser.clickAndAwaitNewPage(By.id("kc-submit"));
            awaitAccountConsole(browser);
        }
        Http.Response refused = realm.grant("sync", "paul", appPassword, null);
        assertEquals(400, refused.status(), "revoked with the password change: " + refused.body());
        assertEquals(0, realm.listAppPasswords(realm.userToken("paul", "Paul-password-2", null)).json().size());
    }

    /**
     * A new admin's realm: clients and a user only, then the one-step set-up and nothing else. The user finds
     * "Set up app password" in the account console, creates one and uses it.
     */
    @Test
    void afterTheOneStepSetUpUsersCreateAppPasswordsInTheConsole() {
        String name = SetupEndpointIT.plainRealm(keycloak);
        try {
            Http.Response setup = keycloak.http().json("POST", keycloak.baseUrl() + "/admin/realms/" + name + "/app-passwords/setup",
                    keycloak.admin(), Map.of("directGrantClients", List.of("mail")));
            assertEquals(200, setup.status(), setup.body());
            String console = keycloak.baseUrl() + "/realms/" + name + "/account";
            try (Browser browser = new Browser()) {
                browser.open(console + "/");
                browser.type(By.id("username"), "paula");
                browser.type(By.id("password"), "Paula-password-1");
                browser.clickAndAwaitNewPage(By.id("kc-login"));
                browser.waitForUrlStartingWith(console);
                browser.open(console + "/account-security/signing-in");
                clickVisible(browser, CREATE_LINK);
                browser.type(By.id("deviceName"), "Thunderbird");
                browser.screenshot("11-set-up-after-one-step-set-up");
                browser.click(By.id("kc-app-password-create"));
                String password = browser.visible(By.id("app-password-value")).getText().strip();
                Http.Response grant = new SetupEndpointIT.TestRealmAccess(keycloak, name).grant("mail", "paula", password);
                assertEquals(200, grant.status(), grant.body());
            }
        } finally {
            keycloak.adminDelete("/" + name);
        }
    }

    private void signIn(Browser browser, String username, String password, boolean otp) {
        signIn(browser, realm, username, password, otp);
    }

    private static void signIn(Browser browser, TestRealm realm, String username, String password, boolean otp) {
        browser.open(realm.url("/account/"));
        browser.type(By.id("username"), username);
        browser.type(By.id("password"), password);
        // Each submit is awaited: navigating on while a login POST is in flight cancels it.
        browser.clickAndAwaitNewPage(By.id("kc-login"));
        if (otp) {
            browser.type(By.id("otp"), realm.currentOtp());
            browser.clickAndAwaitNewPage(By.id("kc-login"));
        }
    }

    /** Back in the account console (the login pages' URLs merely mention it in redirect_uri). */
    private void awaitAccountConsole(Browser browser) {
        browser.waitForUrlStartingWith(realm.url("/account"));
        browser.visible(By.id("app"));
    }

    private void openSigningIn(Browser browser) {
        browser.open(realm.url("/account/account-security/signing-in"));
        browser.visible(CREATE_LINK);
    }

    /** The account console renders some links twice (desktop and mobile layout); click the one shown. */
    private static void clickVisible(Browser browser, By by) {
        browser.visible(by);
        browser.all(by).stream().filter(WebElement::isDisplayed).findFirst().orElseThrow().click();
    }
}
