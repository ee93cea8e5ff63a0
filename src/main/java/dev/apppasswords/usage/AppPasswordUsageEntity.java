package dev.apppasswords.usage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The device record of an app password: when, from where and by which client it was last used, and its
 * name and salted hash (the same its credential holds). After the app password is removed the row stays
 * for a while as the record of a revoked app password ({@code revokedAt} set), so that a stale device still
 * sending it is recognised, reported, and not counted as someone guessing the account's password. Lives outside Keycloak's
 * credential table on purpose: writing there on every login would invalidate the user cache.
 * No foreign keys to Keycloak's tables: realm removal bulk-deletes users without per-user events,
 * so rows are removed by the listeners in {@link UsageJpaEntityProviderFactory} instead.
 */
@Entity
@Table(name = "APP_PASSWORD_USAGE")
@NamedQueries({
        @NamedQuery(name = "AppPasswordUsage.byUser",
                query = "select u from AppPasswordUsageEntity u where u.userId = :userId and u.revokedAt is null"),
        @NamedQuery(name = "AppPasswordUsage.revokedByUser",
                query = "select u from AppPasswordUsageEntity u where u.userId = :userId and u.revokedAt is not null"),
        @NamedQuery(name = "AppPasswordUsage.deleteRevokedBefore",
                query = "delete from AppPasswordUsageEntity u where u.realmId = :realmId and u.revokedAt is not null and u.revokedAt < :before"),
        @NamedQuery(name = "AppPasswordUsage.deleteByUser",
                query = "delete from AppPasswordUsageEntity u where u.userId = :userId"),
        @NamedQuery(name = "AppPasswordUsage.deleteByRealm",
                query = "delete from AppPasswordUsageEntity u where u.realmId = :realmId"),
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

    @Column(name = "NAME", length = 255)
    private String name;

    @Column(name = "SECRET_SALT", length = 64)
    private String secretSalt;

    @Column(name = "SECRET_HASH", length = 128)
    private String secretHash;

    @Column(name = "REVOKED_AT")
    private Long revokedAt;

    @Column(name = "REVOKED_REASON", length = 32)
    private String revokedReason;

    @Column(name = "LAST_TRIED_AT")
    private Long lastTriedAt;

    @Column(name = "LAST_TRIED_IP", length = 64)
    private String lastTriedIp;

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
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getSecretSalt() { return secretSalt; }
    public void setSecretSalt(String secretSalt) { this.secretSalt = secretSalt; }
    public String getSecretHash() { return secretHash; }
    public void setSecretHash(String secretHash) { this.secretHash = secretHash; }
    public Long getRevokedAt() { return revokedAt; }
    public void setRevokedAt(Long revokedAt) { this.revokedAt = revokedAt; }
    public String getRevokedReason() { return revokedReason; }
    public void setRevokedReason(String revokedReason) { this.revokedReason = revokedReason; }
    public Long getLastTriedAt() { return lastTriedAt; }
    public void setLastTriedAt(Long lastTriedAt) { this.lastTriedAt = lastTriedAt; }
    public String getLastTriedIp() { return lastTriedIp; }
    public void setLastTriedIp(String lastTriedIp) { this.lastTriedIp = lastTriedIp; }
}
