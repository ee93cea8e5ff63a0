package dev.apppasswords.service;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Keeps realms that used app passwords before 1.0 working. Since 1.0 a realm has app passwords only once its
 * admin set them up (see {@link AppPasswordPolicy#setUp}); before, every realm had them. A realm that holds
 * app passwords but shows none of the signs (a forward-auth-only realm: no flow step, no set-up call) is marked
 * set up at start, once, with a line in the log saying how to switch it off.
 */
public final class UpgradedRealms {

    private static final Logger LOG = Logger.getLogger(UpgradedRealms.class);

    private UpgradedRealms() {
    }

    /** Called at every start, after Keycloak's own migration; a realm marked or switched once is left alone. */
    public static void keepWorking(KeycloakSession session, RealmModel realm) {
        if (AppPasswordPolicy.switchedExplicitly(realm) || AppPasswordPolicy.setUp(realm) || !holdsAppPasswords(session, realm)) {
            return;
        }
        realm.setAttribute(AppPasswordPolicy.REALM_SET_UP, "true");
        LOG.warnf("Realm %s holds app passwords from before 1.0, which turns app passwords off in realms nobody set up: "
                + "they stay on here. To switch them off, set 'App passwords work in this realm' to off in the realm's "
                + "app-password policy (Authentication → Required actions → Create an app password).", realm.getName());
    }

    private static boolean holdsAppPasswords(KeycloakSession session, RealmModel realm) {
        Long count = session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select count(c) from CredentialEntity c where c.type = :type and c.user.realmId = :realmId", Long.class)
                .setParameter("type", AppPasswordCredentialModel.TYPE)
                .setParameter("realmId", realm.getId())
                .getSingleResult();
        return count != null && count > 0;
    }
}
