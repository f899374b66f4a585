package io.github.reactivepubsub.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Reconnection delays of the remote and Redis hubs: exponential from {@code min} to {@code max}, with jitter. A pure
 * function of the attempt number and a random value, so tests check the bounds exactly. Not API.
 *
 * <p>Immutable.
 *
 * @param min the first delay; positive
 * @param max the longest delay; at least {@code min}
 * @param jitter the random spread of each delay, between 0 (none) and 1
 */
public record Backoff(Duration min, Duration max, double jitter) {

    /**
     * @param min the first delay; positive
     * @param max the longest delay; at least {@code min}
     * @param jitter the random spread of each delay, between 0 (none) and 1
     * @throws IllegalArgumentException when a bound or the jitter is out of range
     * @throws NullPointerException when a bound is null
     */
    public Backoff {
        check(min, max, jitter);
    }

    /**
     * Checks the bounds of a back-off, as the options of the hubs take them.
     *
     * @param min the first delay; positive
     * @param max the longest delay; at least {@code min}
     * @param jitter between 0 (none) and 1
     * @throws IllegalArgumentException when a bound or the jitter is out of range
     * @throws NullPointerException when a bound is null
     */
    public static void check(Duration min, Duration max, double jitter) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got min " + min + ", max " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * @param failures failures in a row so far, from 0
     * @param random a value in {@code [0, 1)}
     * @return {@code min(max, min * 2^failures) * (1 + jitter * (2 * random - 1))}, kept within {@code [min, max]}
     */
    public Duration delay(int failures, double random) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        long base = failures >= 62 || minNanos > (maxNanos >> Math.min(failures, 62))
                ? maxNanos : Math.min(maxNanos, minNanos << failures);
        double factor = 1 + jitter * (2 * random - 1);
        long nanos = (long) (base * factor);
        return Duration.ofNanos(Math.max(minNanos, Math.min(maxNanos, nanos)));
    }
}
