package io.github.reactivepubsub;

import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * The hub's per-subscriber bounded buffer, as an operator for any hot source (a shared-memory feed, a socket).
 * Each subscriber of the resulting Flux requests everything from the source and holds at most
 * {@code options.bufferSize()} undelivered elements; beyond that {@code options.overflow()} applies
 * ({@link OverflowException} naming {@code name}, or drop the oldest / latest and tell {@code options}' drop
 * listener). A subscriber whose {@code onNext} throws is cancelled alone and logged with {@code name}.
 *
 * <pre>{@code
 * Flux<Datagram> safe = feed.transform(BoundedBuffer.of("feed /dev/shm/md", SubscribeOptions.defaults()));
 * }</pre>
 *
 * <p>The source must follow the Reactive Streams rules (serialized signals); the operator never blocks the
 * source's thread.
 */
public final class BoundedBuffer {

    private BoundedBuffer() {
    }

    /**
     * @param name what the buffer serves, for errors and logs (a topic key, a file name)
     * @param options buffer size, overflow policy and drop listener
     * @param <T> the element type
     * @return a function for {@link Flux#transform(Function)}
     */
    public static <T> Function<Flux<T>, Flux<T>> of(String name, SubscribeOptions options) {
        return source -> new FluxBoundedBuffer<>(source, name, options);
    }
}
