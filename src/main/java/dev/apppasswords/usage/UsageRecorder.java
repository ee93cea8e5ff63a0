package dev.apppasswords.usage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Writes last-use records, at most one per app password per interval and node. Mail clients log in
 * for every connection; without the throttle each login would be a database write.
 *
 * <p>The write runs in its own short transaction: a failure there (say, two nodes inserting the first
 * row at once) must never fail the login that caused it.
 */
public final class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final int PRUNE_ABOVE = 100_000;
    private static final ConcurrentMap<String, Long> LAST_WRITTEN = new ConcurrentHashMap<>();

    private UsageRecorder() {
    }

    public static void record(KeycloakSessionFactory factory, AppPasswordUsage usage, int intervalSeconds) {
        long intervalMillis = intervalSeconds * 1000L;
        boolean[] due = {false};
        LAST_WRITTEN.compute(usage.credentialId(), (id, previous) -> {
            if (previous == null || usage.usedAt() - previous >= intervalMillis) {
                due[0] = true;
                return usage.usedAt();
            }
            return previous;
        });
        if (!due[0]) {
            return;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> new UsageStore(session).save(usage));
        } catch (RuntimeException e) {
            LAST_WRITTEN.remove(usage.credentialId());
            LOG.warnf("Could not record the use of app password %s: %s", usage.credentialId(), e.getMessage());
        }
        if (LAST_WRITTEN.size() > PRUNE_ABOVE) {
            long cutoff = usage.usedAt() - intervalMillis;
            LAST_WRITTEN.values().removeIf(writtenAt -> writtenAt < cutoff);
        }
    }

    /** Forgets an app password, so a recreated id (realm import) is written again at once. */
    public static void forget(String credentialId) {
        LAST_WRITTEN.remove(credentialId);
    }
}
