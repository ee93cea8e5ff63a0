package dev.apppasswords.usage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Reads and writes last-use rows through the session's JPA EntityManager (the request's transaction). */
public final class UsageStore {

    /**
     * Most removed app passwords remembered per user (to recognise stale devices): as many as a user may hold by
     * default. Without a bound, create → use → delete in a loop grows the records, and every wrong guess at that
     * user hashes all of them. The oldest removals are forgotten first.
     */
    public static final int REVOKED_KEPT_PER_USER = 40;

    private final EntityManager em;

    public UsageStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public void save(AppPasswordUsage usage) {
        AppPasswordUsageEntity row = em.find(AppPasswordUsageEntity.class, usage.credentialId());
        boolean fresh = row == null;
        if (!fresh && row.getLastUsedAt() > usage.usedAt()) {
            return; // another node recorded a later use while this write waited
        }
        if (fresh) {
            row = new AppPasswordUsageEntity();
            row.setCredentialId(usage.credentialId());
        }
        row.setUserId(usage.userId());
        row.setRealmId(usage.realmId());
        row.setLastUsedAt(usage.usedAt());
        row.setLastUsedIp(truncate(usage.ip(), 64));
        row.setLastUsedClientId(truncate(usage.clientId(), 255));
        row.setName(truncate(usage.name(), 255));
        row.setSecretSalt(usage.secretSalt());
        row.setSecretHash(usage.secretHash());
        if (fresh) {
            em.persist(row);
        }
    }

    /**
     * Turns the app password's row into the record of a revoked app password, when it can recognise the
     * secret (it has the hash: the app password was used since this version); otherwise drops it.
     */
    public void revoke(String credentialId, String reason, long now) {
        AppPasswordUsageEntity row = em.find(AppPasswordUsageEntity.class, credentialId);
        if (row == null || row.getRevokedAt() != null) {
            return;
        }
        if (row.getSecretHash() == null) {
            em.remove(row);
            return;
        }
        row.setRevokedAt(now);
        row.setRevokedReason(truncate(reason, 32));
        List<AppPasswordUsageEntity> revoked = new ArrayList<>(revokedByUser(row.getUserId()));
        if (!revoked.contains(row)) {
            revoked.add(row);
        }
        if (revoked.size() > REVOKED_KEPT_PER_USER) {
            revoked.sort(Comparator.comparingLong(AppPasswordUsageEntity::getRevokedAt));
            revoked.subList(0, revoked.size() - REVOKED_KEPT_PER_USER).forEach(em::remove);
        }
    }

    /** The records of the user's revoked app passwords. */
    public List<AppPasswordUsageEntity> revokedByUser(String userId) {
        return em.createNamedQuery("AppPasswordUsage.revokedByUser", AppPasswordUsageEntity.class)
                .setParameter("userId", userId).getResultList();
    }

    /** Notes that a device tried a revoked app password. */
    public void tried(String credentialId, long at, String ip) {
        AppPasswordUsageEntity row = em.find(AppPasswordUsageEntity.class, credentialId);
        if (row != null && row.getRevokedAt() != null) {
            row.setLastTriedAt(at);
            row.setLastTriedIp(truncate(ip, 64));
        }
    }

    /** Forgets the realm's revoked app passwords removed before {@code before} (epoch ms); returns how many. */
    public int deleteRevokedBefore(String realmId, long before) {
        return em.createNamedQuery("AppPasswordUsage.deleteRevokedBefore").setParameter("realmId", realmId)
                .setParameter("before", before).executeUpdate();
    }

    /** The user's rows of app passwords that exist, by credential id. */
    public Map<String, AppPasswordUsageEntity> byUser(String userId) {
        List<AppPasswordUsageEntity> rows = em.createNamedQuery("AppPasswordUsage.byUser", AppPasswordUsageEntity.class)
                .setParameter("userId", userId).getResultList();
        return rows.stream().collect(Collectors.toMap(AppPasswordUsageEntity::getCredentialId, Function.identity()));
    }

    public void deleteUser(String userId) {
        em.createNamedQuery("AppPasswordUsage.deleteByUser").setParameter("userId", userId).executeUpdate();
    }

    public void deleteRealm(String realmId) {
        em.createNamedQuery("AppPasswordUsage.deleteByRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
