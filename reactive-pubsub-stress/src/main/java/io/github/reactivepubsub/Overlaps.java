package io.github.reactivepubsub;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts calls that start while another is still running: what a serialized callee must never see. */
final class Overlaps {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    void enter() {
        if (inFlight.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    /** @return calls that overlapped another */
    int count() {
        return overlaps.get();
    }
}
