package io.github.reactivepubsub.benchmarks;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.Subscribe;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The consumer behind every subscriber of every peer: it counts what it receives and hands it to a
 * {@link Blackhole}, so that all peers do exactly the same work per delivery and nothing is dead code.
 *
 * <p>Not thread-safe: every peer serializes deliveries to one subscriber (that is part of what is measured), and
 * the plain counter relies on that serialization's happens-before edges.
 *
 * <p>It is also a Guava {@code EventBus} listener ({@link #onEvent}). {@link AllowConcurrentEvents} declares it
 * thread-safe so that Guava does not wrap the call in {@code synchronized}: the fastest Guava set-up, not a slower one.
 */
public final class Receiver {

    private final Blackhole blackhole;
    private long received;

    /** @param blackhole where received payloads go */
    public Receiver(Blackhole blackhole) {
        this.blackhole = blackhole;
    }

    /** @param payload a delivered payload */
    public void accept(Object payload) {
        received++;
        blackhole.consume(payload);
    }

    /** @param payload a payload posted on a Guava {@code EventBus} */
    @Subscribe
    @AllowConcurrentEvents
    public void onEvent(Payload payload) {
        accept(payload);
    }

    /** @return how many payloads were received */
    public long received() {
        return received;
    }
}
