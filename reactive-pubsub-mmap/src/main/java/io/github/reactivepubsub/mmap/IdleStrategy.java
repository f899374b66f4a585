package io.github.reactivepubsub.mmap;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * What a poller thread does when a poll found nothing: spin, yield, or back off from spinning through yielding
 * to parking for up to a maximum. Immutable; each poller thread gets its own state from it.
 *
 * <pre>{@code
 * IdleStrategy.backoff(Duration.ofMillis(1))   // default: low CPU when quiet, ~µs latency when busy
 * IdleStrategy.busySpin()                       // lowest latency, one core at 100 %
 * }</pre>
 */
public final class IdleStrategy {

    private static final int SPINS = 100;
    private static final int YIELDS = 50;
    private static final long MIN_PARK_NANOS = 1_000;

    private enum Kind { BUSY_SPIN, YIELD, BACKOFF }

    private final Kind kind;
    private final long maxParkNanos;

    private IdleStrategy(Kind kind, long maxParkNanos) {
        this.kind = kind;
        this.maxParkNanos = maxParkNanos;
    }

    /** @return spin with {@link Thread#onSpinWait()}: lowest latency, keeps a core busy */
    public static IdleStrategy busySpin() {
        return new IdleStrategy(Kind.BUSY_SPIN, 0);
    }

    /** @return {@link Thread#yield()} when idle */
    public static IdleStrategy yielding() {
        return new IdleStrategy(Kind.YIELD, 0);
    }

    /**
     * @param maxPark the longest single park; at least one microsecond
     * @return spin, then yield, then park with a doubling time capped at {@code maxPark}; reset by any work
     */
    public static IdleStrategy backoff(Duration maxPark) {
        long nanos = maxPark.toNanos();
        if (nanos < MIN_PARK_NANOS) {
            throw new IllegalArgumentException("maxPark " + maxPark + " must be at least 1 microsecond");
        }
        return new IdleStrategy(Kind.BACKOFF, nanos);
    }

    /** @return the default: {@code backoff(1 ms)} */
    public static IdleStrategy defaults() {
        return backoff(Duration.ofMillis(1));
    }

    /** @return the longest park of a back-off strategy, zero for the others */
    public Duration maxPark() {
        return Duration.ofNanos(maxParkNanos);
    }

    /** @return a new per-thread idler */
    Idler newIdler() {
        switch (kind) {
            case BUSY_SPIN:
                return work -> {
                    if (work == 0) {
                        Thread.onSpinWait();
                    }
                };
            case YIELD:
                return work -> {
                    if (work == 0) {
                        Thread.yield();
                    }
                };
            default:
                return new BackoffIdler(maxParkNanos);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.BACKOFF ? "backoff(" + maxPark() + ")" : kind.name().toLowerCase();
    }

    /** Per-thread idle state. Called by one thread only. */
    interface Idler {
        /** @param work what the last poll did; any work resets the back-off */
        void idle(int work);
    }

    private static final class BackoffIdler implements Idler {
        private final long maxParkNanos;
        private int idleCount;
        private long parkNanos = MIN_PARK_NANOS;

        BackoffIdler(long maxParkNanos) {
            this.maxParkNanos = maxParkNanos;
        }

        @Override
        public void idle(int work) {
            if (work > 0) {
                idleCount = 0;
                parkNanos = MIN_PARK_NANOS;
            } else if (idleCount < SPINS) {
                idleCount++;
                Thread.onSpinWait();
            } else if (idleCount < SPINS + YIELDS) {
                idleCount++;
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
            }
        }
    }
}
