package dev.apppasswords.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * What a mail server needs to know about its client after the set-up, in the set-up's answer: the client id,
 * whether it must send a client secret, and the URLs of its OAuth2 passdb. Dovecot 2.3's password grant sends only
 * {@code client_id} (a public client); Dovecot 2.4's sends {@code client_id} and {@code client_secret} (a
 * confidential client): a client of the wrong type fails every login with {@code unauthorized_client}, so the
 * answer warns when the admin names a Dovecot version the client does not fit.
 */
final class MailServerNeeds {

    static final String DOVECOT_23 = "2.3";
    static final String DOVECOT_24 = "2.4";

    private MailServerNeeds() {
    }

    /** {@code dovecot}: the version the admin names in the request ({@code "2.3"}, {@code "2.4"}) or null. */
    static Map<String, Object> of(RealmModel realm, ClientModel client, String baseUrl, String dovecot) {
        boolean confidential = !client.isPublicClient() && !client.isBearerOnly();
        String realmUrl = baseUrl + "/realms/" + realm.getName() + "/protocol/openid-connect";
        Map<String, Object> needs = new LinkedHashMap<>();
        needs.put("clientId", client.getClientId());
        needs.put("clientSecretNeeded", confidential);
        needs.put("tokenUrl", realmUrl + "/token");
        needs.put("userinfoUrl", realmUrl + "/userinfo");
        needs.put("fits", confidential ? "Dovecot 2.4 (client_id and client_secret)" : "Dovecot 2.3 (client_id only)");
        String warning = warning(client.getClientId(), confidential, dovecot);
        if (warning != null) {
            needs.put("warning", warning);
        }
        return needs;
    }

    /** Why the client does not fit the named Dovecot version, or null. */
    static String warning(String clientId, boolean confidential, String dovecot) {
        if (DOVECOT_23.equals(dovecot) && confidential) {
            return "Dovecot 2.3 sends no client secret, so every login at the confidential client \"" + clientId
                    + "\" fails with unauthorized_client: turn its Client authentication off, or use Dovecot 2.4.";
        }
        if (DOVECOT_24.equals(dovecot) && !confidential) {
            return "Dovecot 2.4 needs a client secret: turn Client authentication on for \"" + clientId
                    + "\" and put its secret into Dovecot's oauth2_client_secret.";
        }
        return null;
    }

    /** Refuses a version the set-up does not know. */
    static boolean known(String dovecot) {
        return dovecot == null || DOVECOT_23.equals(dovecot) || DOVECOT_24.equals(dovecot);
    }
}
