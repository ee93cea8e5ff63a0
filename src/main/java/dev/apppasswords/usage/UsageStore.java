package dev.apppasswords.usage;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Reads and writes last-use rows through the session's JPA EntityManager (the request's transaction). */
public final class UsageStore {

    private final EntityManager em;

    public UsageStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public void save(AppPasswordUsage usage) {
        AppPasswordUsageEntity row = em.find(AppPasswordUsageEntity.class, usage.credentialId());
        boolean fresh = row == null;
        if (fresh) {
            row = new AppPasswordUsageEntity();
            row.setCredentialId(usage.credentialId());
        }
        row.setUserId(usage.userId());
        row.setRealmId(usage.realmId());
        row.setLastUsedAt(usage.usedAt());
        row.setLastUsedIp(truncate(usage.ip(), 64));
        row.setLastUsedClientId(truncate(usage.clientId(), 255));
        if (fresh) {
            em.persist(row);
        }
    }

    /** The user's rows by credential id. */
    public Map<String, AppPasswordUsageEntity> byUser(String userId) {
        List<AppPasswordUsageEntity> rows = em.createNamedQuery("AppPasswordUsage.byUser", AppPasswordUsageEntity.class)
                .setParameter("userId", userId).getResultList();
        return rows.stream().collect(Collectors.toMap(AppPasswordUsageEntity::getCredentialId, Function.identity()));
    }

    public void deleteCredential(String credentialId) {
        em.createNamedQuery("AppPasswordUsage.deleteByCredential").setParameter("credentialId", credentialId).executeUpdate();
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
