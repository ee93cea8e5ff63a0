package dev.apppasswords.usage;

import org.keycloak.models.KeycloakSessionFactory;

/**
 * Writes last-use records through the {@link ThrottledWriter}: at most one per app password per interval and
 * node, outside the login's transaction.
 */
public final class UsageRecorder {

    private static final String KEY_PREFIX = "use:";

    private final KeycloakSessionFactory factory;
    private final ThrottledWriter writer;
    private final int intervalSeconds;

    public UsageRecorder(KeycloakSessionFactory factory, ThrottledWriter writer, int intervalSeconds) {
        this.factory = factory;
        this.writer = writer;
        this.intervalSeconds = intervalSeconds;
    }

    public void record(AppPasswordUsage usage) {
        writer.write(factory, KEY_PREFIX + usage.credentialId(), usage.usedAt(), intervalSeconds * 1000L,
                session -> new UsageStore(session).save(usage));
    }

    /** Forgets an app password, so a recreated id (realm import) is written again at once. */
    public void forget(String credentialId) {
        writer.forget(KEY_PREFIX + credentialId);
    }
}
