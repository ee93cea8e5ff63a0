package dev.apppasswords.it.support;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock laps of a long test, printed as they happen and as one summary line at the end. */
public final class Timings {

    private final String label;
    private final long started = System.nanoTime();
    private long lapStarted = started;
    private final List<String> laps = new ArrayList<>();

    public Timings(String label) {
        this.label = label;
    }

    /** Ends the current lap, naming what it did, and prints it. */
    public void lap(String what) {
        long now = System.nanoTime();
        String lap = String.format("%s %.1f s", what, (now - lapStarted) / 1e9);
        lapStarted = now;
        laps.add(lap);
        System.out.printf("[%s] %s%n", label, lap);
    }

    public void printSummary() {
        System.out.printf("[%s] total %.1f s: %s%n", label, (System.nanoTime() - started) / 1e9, String.join(", ", laps));
    }
}
