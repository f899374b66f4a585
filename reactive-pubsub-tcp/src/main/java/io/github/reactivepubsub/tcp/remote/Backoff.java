package io.github.reactivepubsub.tcp.remote;

import java.time.Duration;

/**
 * Reconnection delays: exponential from {@code min} to {@code max}, with jitter. A pure function of the attempt
 * number and a random value, so tests check the bounds exactly. Immutable.
 */
record Backoff(Duration min, Duration max, double jitter) {

    /**
     * @param failures failures in a row so far, from 0
     * @param random a value in {@code [0, 1)}
     * @return {@code min(max, min * 2^failures) * (1 + jitter * (2 * random - 1))}, kept within {@code [min, max]}
     */
    Duration delay(int failures, double random) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        long base = failures >= 62 || minNanos > (maxNanos >> Math.min(failures, 62))
                ? maxNanos : Math.min(maxNanos, minNanos << failures);
        double factor = 1 + jitter * (2 * random - 1);
        long nanos = (long) (base * factor);
        return Duration.ofNanos(Math.max(minNanos, Math.min(maxNanos, nanos)));
    }
}
