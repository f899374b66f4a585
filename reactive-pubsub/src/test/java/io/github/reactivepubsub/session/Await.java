package io.github.reactivepubsub.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for a condition that another thread makes true (a socket read, a close): the test thread polls
 * every millisecond and fails with a description once the timeout passed. Not for time itself: timers are tested in
 * virtual time. Call from a test thread only (it parks), never from an event loop or a Reactor scheduler.
 */
public final class Await {

    private Await() {
    }

    /**
     * @param timeout how long to wait at most
     * @param condition polled until it holds
     * @param what describes the awaited condition for the failure message
     * @throws AssertionError when the condition still does not hold after the timeout
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout + " for " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Like {@link #until}, for a harness that must go on either way (a TCK publisher whose subscriber may have
     * cancelled): polls every millisecond and says whether the condition came true in time.
     *
     * @param timeout how long to wait at most
     * @param condition polled until it holds
     * @return whether the condition held before the timeout
     */
    public static boolean atMost(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /**
     * Lets {@code window} pass on the test thread, for negative assertions only: that something does not happen
     * within it (no read without demand, no progress of a stalled writer). Never used to wait for something.
     *
     * @param window how long to watch
     */
    public static void watch(Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
