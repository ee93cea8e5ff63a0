package dev.apppasswords.service;

import org.keycloak.Config;

/**
 * Server-wide settings from Keycloak's SPI options of the {@code app-password} credential provider.
 *
 * @param maxPerUser                most app passwords one user may hold
 * @param usageWriteIntervalSeconds least time between two last-use writes for the same app password;
 *                                  keeps the database off the hot path of clients that log in constantly
 * @param failedLoginsPerSource     wrong app passwords one client address may send per minute and realm before it is
 *                                  answered 429 (see SourceThrottle); 0 switches the throttle off
 * @param cleanupIntervalSeconds    seconds between two runs of the clean-up of expired and long-removed app passwords
 */
public record AppPasswordSettings(int maxPerUser, int usageWriteIntervalSeconds, int failedLoginsPerSource, int cleanupIntervalSeconds) {

    public static final String MAX_PER_USER = "max-per-user";
    public static final String USAGE_WRITE_INTERVAL = "usage-write-interval";
    public static final String FAILED_LOGINS_PER_SOURCE = "failed-logins-per-source";
    public static final String CLEANUP_INTERVAL = "cleanup-interval";
    public static final AppPasswordSettings DEFAULTS = new AppPasswordSettings(40, 60, 10, 3600);

    /**
     * The server's settings as configured: the options of the {@code app-passwords} SPI's {@code default} provider,
     * else the documented ones of the {@code app-password} credential provider, else the defaults.
     */
    public static AppPasswordSettings fromServerConfig() {
        return from(Config.scope("app-passwords", "default"), Config.scope("credential", "app-password"));
    }

    /** Reads the settings from {@code primary}, falling back to {@code fallback} (the older option names), then the defaults. */
    public static AppPasswordSettings from(Config.Scope primary, Config.Scope fallback) {
        int max = primary.getInt(MAX_PER_USER, fallback.getInt(MAX_PER_USER, DEFAULTS.maxPerUser));
        int interval = primary.getInt(USAGE_WRITE_INTERVAL, fallback.getInt(USAGE_WRITE_INTERVAL, DEFAULTS.usageWriteIntervalSeconds));
        int perSource = primary.getInt(FAILED_LOGINS_PER_SOURCE, fallback.getInt(FAILED_LOGINS_PER_SOURCE, DEFAULTS.failedLoginsPerSource));
        int cleanup = primary.getInt(CLEANUP_INTERVAL, fallback.getInt(CLEANUP_INTERVAL, DEFAULTS.cleanupIntervalSeconds));
        return of(max, interval, perSource, cleanup);
    }

    /** Checks the values; an impossible one stops the server at start with the option named. */
    static AppPasswordSettings of(int max, int interval, int perSource, int cleanup) {
        if (max < 1) {
            throw new IllegalArgumentException(MAX_PER_USER + " must be at least 1, got " + max);
        }
        if (interval < 0) {
            throw new IllegalArgumentException(USAGE_WRITE_INTERVAL + " must not be negative, got " + interval);
        }
        if (perSource < 0) {
            throw new IllegalArgumentException(FAILED_LOGINS_PER_SOURCE + " must not be negative, got " + perSource);
        }
        if (cleanup < 1) {
            throw new IllegalArgumentException(CLEANUP_INTERVAL + " must be at least 1 second, got " + cleanup);
        }
        return new AppPasswordSettings(max, interval, perSource, cleanup);
    }
}
