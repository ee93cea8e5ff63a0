package dev.apppasswords.it;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apppasswords.it.support.Http;
import dev.apppasswords.it.support.Keycloak;
import dev.apppasswords.it.support.RealmIT;
import dev.apppasswords.it.support.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser sign-in (a real form POST to Keycloak's login page) must never accept an app password. */
class BrowserLoginIT extends RealmIT {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private String appPassword;

    @Override
    protected String realmPrefix() {
        return "browser";
    }

    @BeforeAll
    void setUp() {
        appPassword = realm.newAppPassword(realm.userToken(), "Laptop").get("password").asText();
    }

    @Test
    void loginFormRefusesAnAppPassword() {
        Http.Response page = submitLoginForm(TestRealm.USER, appPassword);
        assertEquals(200, page.status(), "the form is shown again");
        assertTrue(page.body().contains("Invalid username or password"), page.body());
        assertTrue(page.body().contains("kc-form-login"));
    }

    @Test
    void loginFormStillAsksForOtpAfterTheMainPassword() {
        Http.Response page = submitLoginForm(TestRealm.USER, realm.password());
        assertEquals(200, page.status());
        assertTrue(page.body().contains("otp"), "the main password leads to the OTP step: " + page.body());
        assertTrue(!page.body().contains("Invalid username or password"));
    }

    /** GET the authorization endpoint, then POST the login form with its cookies, as a browser would. */
    private Http.Response submitLoginForm(String username, String password) {
        String auth = realm.url("/protocol/openid-connect/auth") + "?" + Http.encode(Map.of(
                "client_id", "web", "response_type", "code", "scope", "openid",
                "redirect_uri", "http://127.0.0.1/callback", "state", "s1"));
        Http.Response login = keycloak.http().get(auth, Map.of());
        assertEquals(200, login.status(), login.body());
        Matcher action = FORM_ACTION.matcher(login.body());
        assertTrue(action.find(), "login form not found");
        String actionUrl = action.group(1).replace("&amp;", "&");
        Map<String, String> headers = Map.of("Cookie", cookies(login.headers("Set-Cookie")));
        Http.Response response = keycloak.http().form(URI.create(actionUrl).toString(), headers,
                Http.params("username", username, "password", password, "credentialId", ""));
        assertNotNull(response.body());
        return response;
    }

    /** Keycloak marks its cookies Secure even on http://localhost; a browser-like client must still send them back. */
    private static String cookies(List<String> setCookies) {
        Map<String, String> jar = new LinkedHashMap<>();
        for (String setCookie : setCookies) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            jar.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        StringBuilder header = new StringBuilder();
        jar.forEach((k, v) -> header.append(header.length() > 0 ? "; " : "").append(k).append('=').append(v));
        return header.toString();
    }
}
