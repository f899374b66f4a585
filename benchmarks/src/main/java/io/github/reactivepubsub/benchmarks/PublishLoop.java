package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The publishing side of the end-to-end benchmarks (remote hub, Redis hub): publish a batch with at most
 * {@code window} messages not yet received, retry back-pressured publishes, then wait until the last one arrived.
 */
final class PublishLoop {

    private PublishLoop() {
    }

    /**
     * @param publisher the hub to publish on
     * @param key the key
     * @param payload the payload of every message
     * @param messages how many
     * @param window the most messages published and not yet received
     * @param received how many the (slowest) subscriber received so far
     * @param wait how long the last messages may take to arrive
     * @return the received count at the end
     */
    static long publish(Hub publisher, Key key, Object payload, int messages, int window, LongSupplier received,
            Duration wait) {
        long sent = received.getAsLong();
        long target = sent + messages;
        for (int i = 0; i < messages; i++) {
            while (sent - received.getAsLong() >= window) {
                Thread.yield(); // 2 cores: let the I/O threads and the server run
            }
            PublishResult r;
            while ((r = publisher.publish(key, payload)) != PublishResult.SENT) {
                if (r != PublishResult.BACK_PRESSURED) {
                    throw new IllegalStateException("publish " + r);
                }
                Thread.yield();
            }
            sent++;
        }
        return awaitReceived(received, target, wait);
    }

    /** Spins until {@code received} reaches {@code target}; fails after {@code wait}. */
    static long awaitReceived(LongSupplier received, long target, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (received.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("received " + received.getAsLong() + " of " + target);
            }
            Thread.yield();
        }
        return received.getAsLong();
    }
}
