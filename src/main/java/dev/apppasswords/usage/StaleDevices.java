package dev.apppasswords.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.apppasswords.secret.AppPasswordSecret;
import dev.apppasswords.secret.SecretHash;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Devices that still send an app password after it was removed (deleted, expired, revoked by an admin or
 * by a password change). A phone keeps retrying for as long as it is switched on; counted as failed logins,
 * its retries would lock its owner out within minutes. The app password's device record, kept for a while
 * after the removal, recognises the secret: such a login is refused with its own event error, is not
 * counted for brute-force detection (it cannot be a guess: it matches a 112-bit secret that existed), and
 * its last try is shown to the user and the admin.
 */
public final class StaleDevices {

    private static final Logger LOG = Logger.getLogger(StaleDevices.class);
    /** At most one write of "last tried" per revoked app password per minute and node: retries cost nothing. */
    static final long TRY_WRITE_INTERVAL_MILLIS = 60_000;
    private static final ConcurrentMap<String, Long> LAST_WRITTEN = new ConcurrentHashMap<>();

    private StaleDevices() {
    }

    /**
     * The record of the user's revoked app password this secret was, or null. At most
     * {@link UsageStore#REVOKED_KEPT_PER_USER} records are kept per user, so a wrong guess hashes a bounded number.
     */
    public static AppPasswordUsageEntity recognise(KeycloakSession session, String userId, AppPasswordSecret candidate) {
        for (AppPasswordUsageEntity revoked : new UsageStore(session).revokedByUser(userId)) {
            if (revoked.getSecretSalt() != null && revoked.getSecretHash() != null
                    && SecretHash.decode(revoked.getSecretSalt(), revoked.getSecretHash()).matches(candidate)) {
                return revoked;
            }
        }
        return null;
    }

    /** Notes the try (throttled, in a transaction of its own: the refused login's must not carry it). */
    public static void noteTry(KeycloakSessionFactory factory, String credentialId, long at, String ip) {
        Long previous = LAST_WRITTEN.get(credentialId);
        if (previous != null && at - previous < TRY_WRITE_INTERVAL_MILLIS) {
            return;
        }
        LAST_WRITTEN.put(credentialId, at);
        if (LAST_WRITTEN.size() > 100_000) {
            LAST_WRITTEN.values().removeIf(written -> written < at - TRY_WRITE_INTERVAL_MILLIS);
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> new UsageStore(session).tried(credentialId, at, ip));
        } catch (RuntimeException e) {
            LOG.debugf("could not note a try of revoked app password %s: %s", credentialId, e.getMessage());
        }
    }

    /** The user's revoked app passwords that a device tried after their removal, most recent try first. */
    public static List<Map<String, Object>> of(KeycloakSession session, UserModel user) {
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
