package dev.apppasswords.usage;

/**
 * One login with an app password: what its device record keeps, including the app password's name and
 * salted hash (base64, as in its credential) so that the record can recognise it after a removal.
 */
public record AppPasswordUsage(String credentialId, String userId, String realmId,
                               long usedAt, String ip, String clientId, String name, String secretSalt, String secretHash) {
}
