package dev.apppasswords.usage;

/** One login with an app password: what the last-use record keeps. */
public record AppPasswordUsage(String credentialId, String userId, String realmId,
                               long usedAt, String ip, String clientId) {
}
