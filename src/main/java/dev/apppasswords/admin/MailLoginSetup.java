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
 * refresh tokens (a transient session has nothing to refresh), and access and ID tokens signed with ES256,
 * with a realm key to sign them. With {@code scope=openid} a grant signs two tokens; an RSA-2048 signature
 * costs far more than an ECDSA P-256 one, and Dovecot's userinfo mode checks no signature. Userinfo answers
 * are left as they are (unsigned JSON, which Dovecot reads).
 */
final class MailLoginSetup {

    static final String KEY_NAME = "ecdsa-generated for mail clients";
    /** Below Keycloak's generated RSA key (100); other clients keep the realm's default algorithm (RS256) anyway. */
    static final String KEY_PRIORITY = "50";

    private MailLoginSetup() {
    }

    /** Adds an {@code ecdsa-generated} P-256 key provider unless the realm has an active ES256 signing key; "found" or "created". */
    static String ensureEs256Key(KeycloakSession session, RealmModel realm) {
        boolean active = session.keys().getKeysStream(realm, KeyUse.SIG, Algorithm.ES256).anyMatch(key -> key.getStatus().isActive());
        if (active) {
            return "found";
        }
        ComponentModel key = new ComponentModel();
        key.setName(KEY_NAME);
        key.setParentId(realm.getId());
        key.setProviderId("ecdsa-generated");
        key.setProviderType(KeyProvider.class.getName());
        key.put("priority", KEY_PRIORITY);
        key.put("enabled", "true");
        key.put("active", "true");
        key.put("ecdsaEllipticCurveKey", "P-256");
        realm.addComponentModel(key); // the factory generates the key pair while validating the configuration
        return "created";
    }

    /** Turns off refresh tokens and signs access and ID tokens with ES256; says what it did, or that it was so already. */
    static List<String> configure(ClientModel client) {
        List<String> done = new ArrayList<>();
        if ("false".equals(client.getAttribute(OIDCConfigAttributes.USE_REFRESH_TOKEN))) {
            done.add("refresh tokens already off");
        } else {
            client.setAttribute(OIDCConfigAttributes.USE_REFRESH_TOKEN, "false");
            done.add("refresh tokens turned off");
        }
        if (Algorithm.ES256.equals(client.getAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG))
                && Algorithm.ES256.equals(client.getAttribute(OIDCConfigAttributes.ID_TOKEN_SIGNED_RESPONSE_ALG))) {
            done.add("access and ID tokens already signed with ES256");
        } else {
            client.setAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG, Algorithm.ES256);
            client.setAttribute(OIDCConfigAttributes.ID_TOKEN_SIGNED_RESPONSE_ALG, Algorithm.ES256);
            done.add("access and ID tokens signed with ES256");
        }
        return done;
    }
}
