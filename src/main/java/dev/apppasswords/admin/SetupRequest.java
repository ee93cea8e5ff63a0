package dev.apppasswords.admin;

import java.util.List;

/**
 * The body of {@code POST /admin/realms/{realm}/app-passwords/setup}, e.g.
 * {@code {"directGrantClients": ["mail"], "layout": "app-password-first", "basicAuth": {"docker": true, "clients": ["webdav"]}}}.
 * Every field may be left out.
 */
public class SetupRequest {

    /** Clients (client ids) whose direct grant accepts an app password or the account password plus OTP. */
    public List<String> directGrantClients = List.of();
    /** {@value FlowSetup#APP_PASSWORD_FIRST} (recommended: a user's parallel logins pass) or {@value FlowSetup#USERNAME_FIRST}. */
    public String layout = FlowSetup.APP_PASSWORD_FIRST;
    public BasicAuth basicAuth = new BasicAuth();

    public static class BasicAuth {
        /** Bind the HTTP Basic flow as the realm's Docker authentication flow. */
        public boolean docker;
        /** Clients whose browser flow becomes HTTP Basic with app passwords (forward-auth's {@code ?client_id=}, command-line clients). */
        public List<String> clients = List.of();
    }
}
