package dev.apppasswords.usage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * When, from where and by which client an app password was last used. Lives outside Keycloak's
 * credential table on purpose: writing there on every login would invalidate the user cache.
 * No foreign keys to Keycloak's tables: realm removal bulk-deletes users without per-user events,
 * so rows are removed by the listeners in {@link UsageJpaEntityProviderFactory} instead.
 */
@Entity
@Table(name = "APP_PASSWORD_USAGE")
@NamedQueries({
        @NamedQuery(name = "AppPasswordUsage.byUser",
                query = "select u from AppPasswordUsageEntity u where u.userId = :userId"),
        @NamedQuery(name = "AppPasswordUsage.deleteByUser",
                query = "delete from AppPasswordUsageEntity u where u.userId = :userId"),
        @NamedQuery(name = "AppPasswordUsage.deleteByRealm",
                query = "delete from AppPasswordUsageEntity u where u.realmId = :realmId"),
        @NamedQuery(name = "AppPasswordUsage.deleteByCredential",
                query = "delete from AppPasswordUsageEntity u where u.credentialId = :credentialId"),
})
public class AppPasswordUsageEntity {

    @Id
    @Column(name = "CREDENTIAL_ID", length = 36)
    private String credentialId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "LAST_USED_AT", nullable = false)
    private long lastUsedAt;

    @Column(name = "LAST_USED_IP", length = 64)
    private String lastUsedIp;

    @Column(name = "LAST_USED_CLIENT", length = 255)
    private String lastUsedClientId;

    public String getCredentialId() { return credentialId; }
    public void setCredentialId(String credentialId) { this.credentialId = credentialId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public long getLastUsedAt() { return lastUsedAt; }
    public void setLastUsedAt(long lastUsedAt) { this.lastUsedAt = lastUsedAt; }
    public String getLastUsedIp() { return lastUsedIp; }
    public void setLastUsedIp(String lastUsedIp) { this.lastUsedIp = lastUsedIp; }
    public String getLastUsedClientId() { return lastUsedClientId; }
    public void setLastUsedClientId(String lastUsedClientId) { this.lastUsedClientId = lastUsedClientId; }
}
