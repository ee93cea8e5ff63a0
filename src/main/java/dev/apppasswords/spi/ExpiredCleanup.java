package dev.apppasswords.spi;

import dev.apppasswords.service.AppPasswordPolicy;
import java.util.List;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

/**
 * Removes, once an hour (the {@code cleanup-interval} option), the app passwords that expired more than the realm's grace period ago (an
 * expired one stops working at once; it stays listed as expired until then), and forgets removed app
 * passwords older than the realm's record period (see StaleDevices). Each removal goes through
 * {@code AppPasswordService}, so it is a REMOVE_CREDENTIAL event with reason {@code expired}. Listing a
 * user's app passwords leaves out those past the grace period, so nobody sees one that should be gone.
 */
public final class ExpiredCleanup implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(ExpiredCleanup.class);

    /** Called from the extension factory's postInit; starts once the database is migrated. */
    public static void schedule(KeycloakSessionFactory factory, long intervalMillis) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                        .scheduleTask(new ExpiredCleanup(), intervalMillis, "app-password-expired-cleanup"));
            }
        });
    }

    @Override
    public void run(KeycloakSession session) {
        session.realms().getRealmsStream().toList().forEach(realm -> {
            session.getContext().setRealm(realm);
            AppPasswords appPasswords = AppPasswords.of(session);
            AppPasswordPolicy policy = appPasswords.policy(realm);
            int graceDays = policy.expiredGraceDays();
            appPasswords.usage().deleteRevokedBefore(realm.getId(),
                    Time.currentTimeMillis() - policy.revokedRecordDays() * 86_400_000L);
            int removed = usersWithExpiring(session, realm).stream()
                    .map(userId -> session.users().getUserById(realm, userId))
                    .filter(java.util.Objects::nonNull)
                    .mapToInt(user -> appPasswords.service(realm, user).removeExpired(graceDays))
                    .sum();
            if (removed > 0) {
                LOG.infof("Removed %d app password(s) in realm %s that expired more than %d day(s) ago", removed, realm.getName(), graceDays);
            }
        });
    }

    /** Users holding an app password with an expiry: a coarse filter on the credential's data, checked exactly later. */
    private static List<String> usersWithExpiring(KeycloakSession session, RealmModel realm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createQuery("select distinct c.user.id from CredentialEntity c where c.user.realmId = :realmId"
                        + " and c.type = :type and c.credentialData like :expiring", String.class)
                .setParameter("realmId", realm.getId()).setParameter("type", AppPasswordCredentialModel.TYPE)
                .setParameter("expiring", "%\"expiresAt\":%").getResultList();
    }
}
