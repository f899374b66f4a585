package io.github.reactivepubsub;

import org.reactivestreams.tck.TestEnvironment;

/**
 * The Reactive Streams TCK settings every {@code PublisherVerification} of the project uses (each module's
 * {@code *TckTest}), so that one place says how long the TCK waits and why.
 *
 * <ul>
 *   <li>{@link #TIMEOUT_MILLIS} bounds every wait for an expected signal; it is only reached when a rule fails.
 *   <li>{@link #NO_SIGNALS_MILLIS} is how long the TCK watches for a signal that must not come (after a cancel, past
 *       the demand, after completion). Our publishers signal on the calling thread or on a poller that parks at most
 *       a millisecond between polls: 50 ms is a wide margin, and these waits run about thirty times per class.
 *   <li>{@link #POLL_MILLIS} is the step at which the TCK checks for an expected error. Its default, the whole
 *       timeout, made each of the three rules on {@code request(n <= 0)} sleep a full second for an error signalled
 *       at once.
 *   <li>{@link #GC_MILLIS} is the time rule 3.13 gives the garbage collector to drop a cancelled subscriber.
 * </ul>
 */
public final class Tck {

    /** Longest wait for an expected signal. */
    public static final long TIMEOUT_MILLIS = 1_000;
    /** How long to watch for a signal that must not come. */
    public static final long NO_SIGNALS_MILLIS = 50;
    /** Step of the polling for an expected error. */
    public static final long POLL_MILLIS = 10;
    /** Time given to the garbage collector by rule 3.13. */
    public static final long GC_MILLIS = 300;

    private Tck() {
    }

    /** @return a new environment with the project's timeouts */
    public static TestEnvironment environment() {
        return new TestEnvironment(TIMEOUT_MILLIS, NO_SIGNALS_MILLIS, POLL_MILLIS);
    }
}
