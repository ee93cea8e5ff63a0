package dev.apppasswords.it.support;

import java.util.function.Supplier;

/**
 * Waiting for a condition instead of sleeping a fixed time: the test goes on as soon as the condition holds and
 * fails, naming what it waited for, only when it never does within a generous bound.
 */
public final class Await {

    private Await() {
    }

    /** Polls {@code value} every 100 ms until {@code done} accepts it (at most {@code seconds}); returns the last value. */
    public static <T> T until(String what, int seconds, Supplier<T> value, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what + "; last seen: " + last);
            }
            TestRealm.sleep(100);
            last = value.get();
        }
        return last;
    }
}
