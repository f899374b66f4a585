package io.github.reactivepubsub;

import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * The base of every {@code *TckTest} of the project: a {@link PublisherVerification} with the TCK settings of the
 * medium its publishers signal through, and the bound of the elements they emit, stated once per test.
 *
 * @param <T> the published elements
 */
public abstract class TckVerification<T> extends PublisherVerification<T> {

    /** The bound of the in-process publishers: their buffers are sized to hold that many elements. */
    public static final int IN_PROCESS_MAX_ELEMENTS = 4_096;

    /** Where a publisher under test signals from, which sets how long the TCK waits. */
    public enum Medium {
        /** In-process publishers: {@link Tck#environment()} and {@link Tck#GC_MILLIS}. */
        IN_PROCESS,
        /**
         * Publishers whose elements cross a socket (TCP sessions, SoupBinTCP, the remote and Redis hubs): a signal
         * there waits for the peer, the event loops and the kernel, so 5 s for an expected signal, 500 ms of watch for
         * one that must not come, and 1 s for the garbage collector of rule 3.13. An expected signal takes 5 to 60 ms
         * here; with 2 s, 3 of about 20 runs of the tcp module's TCK classes missed one wait, in different classes
         * and rules (SoupBinTCP 3.17, TCP session 1.02), cause not found (docs/reliability.md). Only a failing wait
         * lasts that long.
         */
        NETWORK;

        TestEnvironment environment() {
            return this == IN_PROCESS ? Tck.environment() : new TestEnvironment(5_000, 500);
        }

        long gcMillis() {
            return this == IN_PROCESS ? Tck.GC_MILLIS : 1_000;
        }
    }

    private final long maxElements;

    /** An in-process verification of publishers of at most {@link #IN_PROCESS_MAX_ELEMENTS} elements. */
    protected TckVerification() {
        this(Medium.IN_PROCESS, IN_PROCESS_MAX_ELEMENTS);
    }

    /**
     * @param medium where the publishers under test signal from
     * @param maxElements the most elements a publisher under test emits ({@link #maxElementsFromPublisher()})
     */
    protected TckVerification(Medium medium, long maxElements) {
        super(medium.environment(), medium.gcMillis());
        this.maxElements = maxElements;
    }

    @Override
    public long maxElementsFromPublisher() {
        return maxElements;
    }
}
