package dev.apppasswords.admin;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.keys.KeyProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;

/**
 * The client side of the recommended (cheapest) mail login, beside its flow (see {@link FlowSetup}): no
 * refresh tokens (a transient session has nothing to refresh), and access and ID tokens signed with HS256,
 * with a realm key of its own to sign them.
 *
 * <p>Why HS256: with {@code scope=openid} a grant signs two tokens, and signing was most of the grant's cost
 * in the profile (RSA-2048, and on Java 17 also ECDSA P-256, take a millisecond or more each; an HMAC takes
 * microseconds). Dovecot sends the token to userinfo, where Keycloak checks it with its own key. And such a
 * token can be checked by Keycloak only, never by another service with the realm's public keys (an HMAC key
 * is not published), which is what an app-password token should be: it opens Keycloak's userinfo and
 * introspection, nothing else. A mail server that checks tokens itself (Dovecot 2.4's local validation)
 * needs a public-key algorithm: set the client's algorithms by hand then (docs/mail-servers.md). Userinfo answers are left
 * as they are (unsigned JSON, which Dovecot reads).
 */
final class MailLoginSetup {

    static final String KEY_NAME = "hmac-generated HS256 for mail clients";
    /** Below Keycloak's generated keys (100); other clients keep the realm's default algorithm (RS256) anyway. */
    static final String KEY_PRIORITY = "50";

    private MailLoginSetup() {
    }

    /** Adds an {@code hmac-generated} HS256 key provider unless the realm has an active HS256 signing key; "found" or "created". */
    static String ensureHs256Key(KeycloakSession session, RealmModel realm) {
        boolean active = session.keys().getKeysStream(realm, KeyUse.SIG, Algorithm.HS256).anyMatch(key -> key.getStatus().isActive());
        if (active) {
            return "found";
        }
        ComponentModel key = new ComponentModel();
        key.setName(KEY_NAME);
        key.setParentId(realm.getId());
        key.setProviderId("hmac-generated");
        key.setProviderType(KeyProvider.class.getName());
        key.put("priority", KEY_PRIORITY);
        key.put("enabled", "true");
        key.put("active", "true");
        key.put("algorithm", Algorithm.HS256);
        key.put("secretSize", "32"); // 256 bits, the size of the hash
        realm.addComponentModel(key); // the factory generates the secret while validating the configuration
        return "created";
    }

    /** Turns off refresh tokens and signs access and ID tokens with HS256; says what it did, or that it was so already. */
    static List<String> configure(ClientModel client) {
        List<String> done = new ArrayList<>();
        if ("false".equals(client.getAttribute(OIDCConfigAttributes.USE_REFRESH_TOKEN))) {
            done.add("refresh tokens already off");
        } else {
            client.setAttribute(OIDCConfigAttributes.USE_REFRESH_TOKEN, "false");
            done.add("refresh tokens turned off");
        }
        if (Algorithm.HS256.equals(client.getAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG))
                && Algorithm.HS256.equals(client.getAttribute(OIDCConfigAttributes.ID_TOKEN_SIGNED_RESPONSE_ALG))) {
            done.add("access and ID tokens already signed with HS256");
        } else {
            client.setAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG, Algorithm.HS256);
            client.setAttribute(OIDCConfigAttributes.ID_TOKEN_SIGNED_RESPONSE_ALG, Algorithm.HS256);
            done.add("access and ID tokens signed with HS256");
        }
        return done;
    }
}
