package dev.apppasswords.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.credential.AppPasswordCredentialModel;
import jakarta.persistence.EntityManager;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The realm overview an admin reads to find stale app passwords: how many users hold app passwords, how
 * many there are, how many were used in the last 30 days and how many never, and a page of the least
 * recently used (never used first, then oldest use), and how many removed app passwords a device still
 * sends (stale devices). Two queries over Keycloak's credential table joined
 * to the last-use table by its primary key, so the cost grows with the realm's app passwords, not with
 * its logins. Only app passwords of users stored in Keycloak's database are counted (not federated ones).
 */
final class RealmOverview {

    static final long RECENT_MILLIS = 30L * 86_400_000L;

    private static final String FROM = " from CredentialEntity c join c.user u"
            + " left join AppPasswordUsageEntity us on us.credentialId = c.id"
            + " where u.realmId = :realmId and c.type = :type";

    private final EntityManager em;
    private final RealmModel realm;

    RealmOverview(KeycloakSession session, RealmModel realm) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.realm = realm;
    }

    Map<String, Object> read(int first, int max) {
        long since = Time.currentTimeMillis() - RECENT_MILLIS;
        Object[] counts = (Object[]) em.createQuery("select count(c), count(distinct u.id),"
                        + " sum(case when us.lastUsedAt >= :since then 1 else 0 end),"
                        + " sum(case when us.credentialId is null then 1 else 0 end)" + FROM)
                .setParameter("realmId", realm.getId()).setParameter("type", AppPasswordCredentialModel.TYPE)
                .setParameter("since", since)
                .getSingleResult();
        Long stale = em.createQuery("select count(us) from AppPasswordUsageEntity us where us.realmId = :realmId"
                        + " and us.revokedAt is not null and us.lastTriedAt is not null", Long.class)
                .setParameter("realmId", realm.getId()).getSingleResult();
        List<Object[]> rows = em.createQuery("select c.id, c.userLabel, c.createdDate, c.credentialData, u.id, u.username,"
                        + " us.lastUsedAt, us.lastUsedIp, us.lastUsedClientId" + FROM
                        + " order by coalesce(us.lastUsedAt, 0) asc, c.createdDate asc, c.id asc", Object[].class)
                .setParameter("realmId", realm.getId()).setParameter("type", AppPasswordCredentialModel.TYPE)
                .setFirstResult(first).setMaxResults(max)
                .getResultList();

        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("usersWithAppPasswords", number(counts[1]));
        overview.put("appPasswords", number(counts[0]));
        overview.put("usedInLast30Days", number(counts[2]));
        overview.put("neverUsed", number(counts[3]));
        overview.put("staleDevices", number(stale));
        overview.put("first", first);
        overview.put("max", max);
        overview.put("leastRecentlyUsed", rows.stream().map(RealmOverview::row).toList());
        return overview;
    }

    private static Map<String, Object> row(Object[] r) {
        CredentialModel stored = new CredentialModel();
        stored.setCredentialData((String) r[3]);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r[0]);
        row.put("name", r[1]);
        row.put("createdAt", r[2]);
        row.put("userId", r[4]);
        row.put("username", r[5]);
        row.put("lastUsedAt", r[6]);
        row.put("lastUsedIp", r[7]);
        row.put("lastUsedClientId", r[8]);
        row.put("expiresAt", AppPasswordCredentialModel.fromStored(stored).expiresAt());
        return row;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
