package dev.apppasswords.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceThrottleTest {

    private static final long T0 = 1_000_000L;

    @Test
    void givenABurstBelowTheLimitThenTheSourceIsNotThrottled() {
        SourceThrottle throttle = new SourceThrottle(10);
        for (int i = 0; i < 9; i++) {
            throttle.failed("r 203.0.113.7", T0);
        }
        assertEquals(0, throttle.retryAfterSeconds("r 203.0.113.7", T0));
    }

    @Test
    void givenTheWholeBurstUsedThenTheSourceWaitsForOneToken() {
        SourceThrottle throttle = new SourceThrottle(10);
        for (int i = 0; i < 10; i++) {
            throttle.failed("r 203.0.113.7", T0);
        }
        assertEquals(6, throttle.retryAfterSeconds("r 203.0.113.7", T0), "one token every 6 s at 10 a minute");
        assertEquals(1, throttle.retryAfterSeconds("r 203.0.113.7", T0 + 5_500));
        assertEquals(0, throttle.retryAfterSeconds("r 203.0.113.7", T0 + 6_000));
    }

    @Test
    void givenOneSourceThrottledThenOtherSourcesAndRealmsAreNot() {
        SourceThrottle throttle = new SourceThrottle(10);
        for (int i = 0; i < 1000; i++) {
            throttle.failed("r 203.0.113.7", T0);
        }
        assertTrue(throttle.retryAfterSeconds("r 203.0.113.7", T0) > 0);
        assertEquals(0, throttle.retryAfterSeconds("r 198.51.100.1", T0));
        assertEquals(0, throttle.retryAfterSeconds("other-realm 203.0.113.7", T0));
    }

    @Test
    void givenAThrottledSourceThenItRecoversOneTokenAtATimeNotAllAtOnce() {
        SourceThrottle throttle = new SourceThrottle(10);
        for (int i = 0; i < 30; i++) {
            throttle.failed("s", T0);
        }
        throttle.failed("s", T0 + 6_000);
        assertEquals(6, throttle.retryAfterSeconds("s", T0 + 6_000), "the token earned back was spent again");
        assertEquals(0, throttle.retryAfterSeconds("s", T0 + 60_000 * 5));
    }

    @Test
    void givenZeroPerMinuteThenNothingIsEverThrottled() {
        SourceThrottle throttle = new SourceThrottle(0);
        for (int i = 0; i < 100; i++) {
            throttle.failed("s", T0);
        }
        assertEquals(0, throttle.retryAfterSeconds("s", T0));
        assertEquals(0, throttle.sources());
    }

    @Test
    void givenANegativeLimitThenTheSettingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SourceThrottle(-1));
    }

    @Test
    void givenTheTableFullThenRefilledSourcesMakeRoomAndThrottledOnesStay() {
        SourceThrottle throttle = new SourceThrottle(60);
        for (int i = 0; i < SourceThrottle.MAX_SOURCES - 1; i++) {
            throttle.failed("idle-" + i, T0);
        }
        for (int i = 0; i < 60; i++) {
            throttle.failed("sprayer", T0 + 2_000);
        }
        throttle.failed("newcomer", T0 + 2_500);
        assertTrue(throttle.sources() < 10, "refilled sources were dropped: " + throttle.sources());
        assertTrue(throttle.retryAfterSeconds("sprayer", T0 + 2_500) > 0, "the sprayer is still throttled");
    }
}
