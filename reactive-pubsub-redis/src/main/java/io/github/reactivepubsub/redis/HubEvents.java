package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.BoundedBuffer;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * This hub's subscribers joining and leaving, as {@link Hub#events()} and as the aiopubsub meta messages
 * {@code Hub.addedSubscriber.<topic>} / {@code Hub.removedSubscriber.<topic>} delivered to this hub's matching plain
 * topics (never through Redis).
 *
 * <p>Concurrency: an event is {@linkplain #recordLocked recorded} under the hub lock, by the change it describes, so
 * the outbox holds the events in the order of the changes (the counts they carry never go backwards); signals are
 * emitted afterwards, outside the lock, by {@link #drain()}: a {@code wip} drain that runs on one thread at a time
 * (whichever thread recorded or found the outbox non-empty), so the sink is never signalled concurrently.
 */
final class HubEvents {

    private final Sinks.Many<HubEvent> sink = Sinks.unsafe().many().multicast().directBestEffort();
    private final Queue<HubEvent> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final String name;
    private final SubscribeOptions buffer;
    private final Supplier<? extends Iterable<Topic>> topics;
    private final BooleanSupplier closed;

    /**
     * @param name the hub, for the buffers' errors
     * @param buffer each subscriber's buffer
     * @param topics the hub's topics now (the meta messages go to the plain ones that match)
     * @param closed whether the hub is closed (then the drain completes the events)
     */
    HubEvents(String name, SubscribeOptions buffer, Supplier<? extends Iterable<Topic>> topics,
            BooleanSupplier closed) {
        this.name = name;
        this.buffer = buffer;
        this.topics = topics;
        this.closed = closed;
    }

    /** Under the hub lock: appends an event; {@link #drain()} emits it once the lock is released. */
    void recordLocked(HubEvent event) {
        outbox.add(event);
    }

    /** @return the events, each subscriber behind its own bounded buffer */
    Flux<HubEvent> flux() {
        return sink.asFlux().transform(BoundedBuffer.of("redis hub events of " + name, buffer));
    }

    /** Emits the recorded events in order, one thread at a time; completes the events once the hub is closed. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            HubEvent event;
            while ((event = outbox.poll()) != null) {
                sink.tryEmitNext(event);
                Key meta = (event instanceof HubEvent.Added ? Hub.ADDED_SUBSCRIBER : Hub.REMOVED_SUBSCRIBER)
                        .concat(event.key());
                Message<Object> message = new Message<>(meta, event);
                for (Topic t : topics.get()) {
                    if (!t.isStream() && t.pattern.matches(meta)) {
                        t.emit(message);
                    }
                }
            }
            if (closed.getAsBoolean()) {
                sink.tryEmitComplete();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
