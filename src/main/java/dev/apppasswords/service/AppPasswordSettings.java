package dev.apppasswords.service;

import org.keycloak.Config;

/**
 * Server-wide settings from Keycloak's SPI options of the {@code app-password} credential provider.
 *
 * @param maxPerUser                most app passwords one user may hold
 * @param usageWriteIntervalSeconds least time between two last-use writes for the same app password;
 *                                  keeps the database off the hot path of clients that log in constantly
 */
public record AppPasswordSettings(int maxPerUser, int usageWriteIntervalSeconds) {

    public static final String MAX_PER_USER = "max-per-user";
    public static final String USAGE_WRITE_INTERVAL = "usage-write-interval";
    public static final AppPasswordSettings DEFAULTS = new AppPasswordSettings(40, 60);

    public static AppPasswordSettings from(Config.Scope config) {
        int max = config.getInt(MAX_PER_USER, DEFAULTS.maxPerUser);
        int interval = config.getInt(USAGE_WRITE_INTERVAL, DEFAULTS.usageWriteIntervalSeconds);
        if (max < 1) {
            throw new IllegalArgumentException(MAX_PER_USER + " must be at least 1, got " + max);
        }
        if (interval < 0) {
            throw new IllegalArgumentException(USAGE_WRITE_INTERVAL + " must not be negative, got " + interval);
        }
        return new AppPasswordSettings(max, interval);
    }
}
