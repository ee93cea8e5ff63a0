package dev.apppasswords.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Devices that still send an app password after it was removed (deleted, expired, revoked by an admin or
 * by a password change). A phone keeps retrying for as long as it is switched on; counted as failed logins,
 * its retries would lock its owner out within minutes. The app password's device record, kept for a while
 * after the removal, recognises the secret: such a login is refused with its own event error, is not
 * counted for brute-force detection (it cannot be a guess: it matches a 112-bit secret that existed), and
 * its last try is shown to the user and the admin.
 */
public final class StaleDevices {

    /** At most one write of "last tried" per revoked app password per minute and node: retries cost nothing. */
    static final long TRY_WRITE_INTERVAL_MILLIS = 60_000;
    private static final String KEY_PREFIX = "try:";

    private final KeycloakSession session;
    private final ThrottledWriter writer;

    public StaleDevices(KeycloakSession session, ThrottledWriter writer) {
        this.session = session;
        this.writer = writer;
    }

    /**
     * The record of the user's revoked app password this secret was, or null. At most
     * {@link UsageStore#REVOKED_KEPT_PER_USER} records are kept per user, so a wrong guess hashes a bounded number.
     */
    public AppPasswordUsageEntity recognise(String userId, AppPasswordSecret candidate) {
        for (AppPasswordUsageEntity revoked : new UsageStore(session).revokedByUser(userId)) {
            if (revoked.getSecretSalt() != null && revoked.getSecretHash() != null
                    && SecretHash.decode(revoked.getSecretSalt(), revoked.getSecretHash()).matches(candidate)) {
                return revoked;
            }
        }
        return null;
    }

    /** Notes the try (throttled, in a transaction of its own: the refused login's must not carry it). */
    public void noteTry(String credentialId, long at, String ip) {
        writer.write(session.getKeycloakSessionFactory(), KEY_PREFIX + credentialId, at, TRY_WRITE_INTERVAL_MILLIS,
                own -> new UsageStore(own).tried(credentialId, at, ip));
    }

    /** The user's revoked app passwords that a device tried after their removal, most recent try first. */
    public List<Map<String, Object>> of(UserModel user) {
        return new UsageStore(session).revokedByUser(user.getId()).stream()
                .filter(row -> row.getLastTriedAt() != null)
                .sorted((a, b) -> Long.compare(b.getLastTriedAt(), a.getLastTriedAt()))
                .map(StaleDevices::view)
                .toList();
    }

    private static Map<String, Object> view(AppPasswordUsageEntity row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.getCredentialId());
        view.put("name", row.getName());
        view.put("revokedAt", row.getRevokedAt());
        view.put("reason", row.getRevokedReason());
        view.put("lastTriedAt", row.getLastTriedAt());
        view.put("lastTriedIp", row.getLastTriedIp());
        return view;
    }
}
