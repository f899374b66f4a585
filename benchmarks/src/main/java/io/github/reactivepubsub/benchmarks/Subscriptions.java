package io.github.reactivepubsub.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The receivers of the peers of one benchmark state, grouped by peer, and what unsubscribes them.
 *
 * <p>A benchmark state sets up every peer but each benchmark method drives one; at tear-down
 * {@link #checkFanOutAndUnsubscribeAll()} verifies that exactly one peer received anything and that all its
 * receivers received the same number of payloads, so that a broken wiring (a failed, cancelled or never-attached
 * subscriber) cannot pass for a fast peer.
 */
final class Subscriptions {

    private final Blackhole blackhole;
    private final Map<String, List<Receiver>> receivers = new LinkedHashMap<>();
    private final List<Runnable> unsubscribers = new ArrayList<>();

    Subscriptions(Blackhole blackhole) {
        this.blackhole = blackhole;
    }

    /** @return a new receiver of the named peer (or group of subscribers) */
    Receiver receiver(String peer) {
        Receiver r = new Receiver(blackhole);
        receivers.computeIfAbsent(peer, p -> new ArrayList<>()).add(r);
        return r;
    }

    /** @param unsubscriber run by {@link #unsubscribeAll()} */
    void onUnsubscribe(Runnable unsubscriber) {
        unsubscribers.add(unsubscriber);
    }

    /** @return the receivers of the named peer or group, in creation order */
    List<Receiver> of(String peer) {
        return receivers.getOrDefault(peer, List.of());
    }

    /** @return the total received by the named peer's or group's receivers */
    long total(String peer) {
        long sum = 0;
        for (Receiver r : of(peer)) {
            sum += r.received();
        }
        return sum;
    }

    /**
     * Checks the deliveries, then (whether they passed or not) unsubscribes everything.
     *
     * @throws IllegalStateException unless exactly one peer received payloads and each of its receivers the same number
     */
    void checkFanOutAndUnsubscribeAll() {
        try {
            checkFanOut();
        } finally {
            unsubscribeAll();
        }
    }

    private void checkFanOut() {
        List<String> exercised = new ArrayList<>();
        for (Map.Entry<String, List<Receiver>> e : receivers.entrySet()) {
            if (total(e.getKey()) > 0) {
                exercised.add(e.getKey());
            }
        }
        if (exercised.size() != 1) {
            throw new IllegalStateException("expected exactly one exercised peer, got " + exercised);
        }
        String peer = exercised.get(0);
        long first = of(peer).get(0).received();
        for (Receiver r : of(peer)) {
            if (r.received() != first) {
                throw new IllegalStateException(peer + ": receivers got unequal deliveries: " + counts(peer));
            }
        }
    }

    private String counts(String peer) {
        List<Long> counts = new ArrayList<>();
        for (Receiver r : of(peer)) {
            counts.add(r.received());
        }
        return counts.toString();
    }

    /** Runs every registered unsubscriber, in registration order. */
    void unsubscribeAll() {
        for (Runnable u : unsubscribers) {
            u.run();
        }
        unsubscribers.clear();
    }
}
