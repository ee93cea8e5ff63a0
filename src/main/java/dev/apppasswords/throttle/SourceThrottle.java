package dev.apppasswords.throttle;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What wrong app passwords cost the place they come from. An app password is 112 random bits: guessing one
 * is hopeless, so a wrong one never counts toward the owner's lockout (that would hand every stranger a lock
 * on the account). What a spray still costs is work and noise, and that is bounded per source instead: each
 * source (realm and client address) may send {@code perMinute} wrong app passwords a minute, in a burst of as
 * many; after that it is answered at once, without hashing or reading stored secrets, until it has earned
 * tokens back. Other sources — the owner's devices elsewhere — are never touched.
 *
 * <p>A token bucket per source: {@code perMinute} tokens, one back every {@code 60 / perMinute} seconds, one taken
 * per wrong app password. Node-local memory (a cluster allows as many per node), at most {@value #MAX_SOURCES}
 * sources: when full, sources whose bucket has refilled are dropped, and if none has, all are.
 */
public final class SourceThrottle {

    static final int MAX_SOURCES = 100_000;

    private final int perMinute;
    private final double millisPerToken;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perMinute}: wrong app passwords a source may send a minute; 0 switches the throttle off. */
    public SourceThrottle(int perMinute) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("failed logins per source must not be negative, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.millisPerToken = perMinute == 0 ? 0 : 60_000.0 / perMinute;
    }

    /** Seconds until the source may try again; 0 when it is not throttled. */
    public long retryAfterSeconds(String source, long nowMillis) {
        Bucket bucket = perMinute == 0 ? null : buckets.get(source);
        if (bucket == null) {
            return 0;
        }
        double tokens = bucket.tokensAt(nowMillis, perMinute, millisPerToken);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * millisPerToken / 1000.0);
    }

    /** Takes a token from the source for a wrong app password. */
    public void failed(String source, long nowMillis) {
        if (perMinute == 0) {
            return;
        }
        if (buckets.size() >= MAX_SOURCES && !buckets.containsKey(source)) {
            buckets.values().removeIf(bucket -> bucket.tokensAt(nowMillis, perMinute, millisPerToken) >= perMinute);
            if (buckets.size() >= MAX_SOURCES) {
                buckets.clear();
            }
        }
        buckets.compute(source, (key, bucket) -> {
            double tokens = bucket == null ? perMinute : bucket.tokensAt(nowMillis, perMinute, millisPerToken);
            return new Bucket(Math.max(0, tokens - 1), nowMillis);
        });
    }

    int sources() {
        return buckets.size();
    }

    public void clear() {
        buckets.clear();
    }

    private record Bucket(double tokens, long atMillis) {
        double tokensAt(long nowMillis, int capacity, double millisPerToken) {
            return Math.min(capacity, tokens + Math.max(0, nowMillis - atMillis) / millisPerToken);
        }
    }
}
