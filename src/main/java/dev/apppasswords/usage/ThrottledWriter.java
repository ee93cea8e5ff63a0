package dev.apppasswords.usage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The one way the extension writes on a login's path: at most one write per key and interval on this node, each in
 * a short transaction of its own. A mail client logs in for every connection, and a stale device retries all day;
 * without the throttle each would be a database write, and a failure of such a write (two nodes inserting the
 * first row at once) must never fail the login that caused it.
 *
 * <p>Owned by the extension's factory (one per node); at most {@value #PRUNE_ABOVE} keys are remembered before the
 * ones older than the interval are dropped.
 */
public final class ThrottledWriter {

    private static final Logger LOG = Logger.getLogger(ThrottledWriter.class);
    static final int PRUNE_ABOVE = 100_000;

    private final ConcurrentMap<String, Long> lastWritten = new ConcurrentHashMap<>();

    /**
     * Runs {@code write} in its own transaction when {@code key} was not written in the last {@code intervalMillis}
     * before {@code at}; returns whether it ran and committed.
     */
    public boolean write(KeycloakSessionFactory factory, String key, long at, long intervalMillis, Consumer<KeycloakSession> write) {
        if (!due(key, at, intervalMillis)) {
            return false;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, write::accept);
            return true;
        } catch (RuntimeException e) {
            lastWritten.remove(key);
            LOG.warnf("Could not write %s: %s", key, e.getMessage());
            return false;
        } finally {
            prune(at, intervalMillis);
        }
    }

    /** Whether {@code key} may be written at {@code at}; if so, notes the write. */
    boolean due(String key, long at, long intervalMillis) {
        boolean[] due = {false};
        lastWritten.compute(key, (k, previous) -> {
            if (previous == null || at - previous >= intervalMillis) {
                due[0] = true;
                return at;
            }
            return previous;
        });
        return due[0];
    }

    /** Forgets a key, so that its next write happens at once (a recreated id after a realm import). */
    public void forget(String key) {
        lastWritten.remove(key);
    }

    public void clear() {
        lastWritten.clear();
    }

    int size() {
        return lastWritten.size();
    }

    private void prune(long at, long intervalMillis) {
        if (lastWritten.size() > PRUNE_ABOVE) {
            lastWritten.values().removeIf(writtenAt -> writtenAt < at - intervalMillis);
        }
    }
}
