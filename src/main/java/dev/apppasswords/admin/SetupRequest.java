package dev.apppasswords.admin;

import java.util.List;

/**
 * The body of {@code POST /admin/realms/{realm}/app-passwords/setup}, e.g.
 * {@code {"directGrantClients": ["sync"], "layout": "app-password-first", "mailClients": ["mail"], "basicAuth": {"docker": true, "clients": ["webdav"]}}}.
 * Every field may be left out. A client may be in {@code directGrantClients} or in {@code mailClients}, not in both.
 */
public class SetupRequest {

    /** Clients (client ids) whose direct grant accepts an app password or the account password plus OTP. */
    public List<String> directGrantClients = List.of();
    /** {@value FlowSetup#APP_PASSWORD_FIRST} (recommended: a user's parallel logins pass) or {@value FlowSetup#USERNAME_FIRST}. */
    public String layout = FlowSetup.APP_PASSWORD_FIRST;
    /**
     * Clients (client ids) of mail servers such as Dovecot, which make a password grant and then call userinfo on
     * every login: each gets the recommended, cheapest mail login. Its direct grant flow is
     * {@value RecommendedFlows#MAIL_FLOW} (app password first, whatever {@code layout} says; the App Password step stores
     * no user session), direct access grants on, "Use refresh tokens" off, and access and ID tokens signed with
     * HS256 (checked by Keycloak's userinfo; no other service can check them); the realm gets an HMAC key for
     * HS256 unless it has an active one. See {@link MailLoginSetup}.
     */
    public List<String> mailClients = List.of();
    /**
     * The Dovecot version of the mail server, {@value MailServerNeeds#DOVECOT_23} or {@value MailServerNeeds#DOVECOT_24}, or
     * null: the answer then warns when a mail client's type does not fit it (2.3 public, 2.4 confidential).
     */
    public String dovecot;
    public BasicAuth basicAuth = new BasicAuth();

    public static class BasicAuth {
        /** Bind the HTTP Basic flow as the realm's Docker authentication flow. */
        public boolean docker;
        /** Clients whose browser flow becomes HTTP Basic with app passwords (forward-auth's {@code ?client_id=}, command-line clients). */
        public List<String> clients = List.of();
    }
}
