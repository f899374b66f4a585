package io.github.reactivepubsub;

import org.jspecify.annotations.Nullable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One subscribed key or pattern: a {@code Sinks.Many} fed through a {@link SerializedEmitter}, so that any number of
 * publishing threads can emit into an unsafe (unserialized, fastest) sink.
 *
 * <p>{@code subscribers}, {@code pending}, {@code declarations} and {@code removed} are guarded by the hub's lock;
 * {@code subscribers} is volatile so that publishing and introspection read it without the lock.
 */
final class Topic extends SerializedEmitter<Object> {

    private static final Object COMPLETE = new Object();

    final Key pattern;
    final String name;
    final TopicOptions options;
    private final Sinks.Many<Message<?>> sink;

    volatile int subscribers;
    /** Subscribers joining: attached to the sink but not yet counted (keeps the topic from being removed). */
    int pending;
    int declarations;
    boolean removed;
    /** This topic's own counts when {@link HubStats#topic(Key)} tracks it; set under the hub's lock. */
    volatile LocalHubStats.@Nullable Counted counted;

    Topic(Key pattern, TopicOptions options) {
        this.pattern = pattern;
        this.name = pattern.toString();
        this.options = options;
        this.sink = options.replay() > 0
                ? Sinks.unsafe().many().replay().limit(options.replay())
                : Sinks.unsafe().many().multicast().directBestEffort();
    }

    boolean isUnused() {
        return subscribers == 0 && pending == 0 && declarations == 0;
    }

    Flux<Message<?>> flux() {
        return sink.asFlux();
    }

    /** Counts copies handed to this topic's subscribers, when the topic is tracked. */
    void delivered(int copies) {
        LocalHubStats.Counted c = counted;
        if (c != null) {
            c.delivered.add(copies);
        }
    }

    /**
     * @return the fullest subscriber buffer of this topic, as a fraction of its size: read through the sink's
     *     {@link Scannable} view of its subscribers (each a {@link BoundedBufferSubscriber}), so nothing is
     *     registered per subscriber and publishing pays nothing for it
     */
    double bufferFillMax() {
        return Scannable.from(sink).inners()
                .map(inner -> inner.scanUnsafe(Scannable.Attr.ACTUAL))
                .mapToDouble(actual -> actual instanceof BoundedBufferSubscriber<?> b ? b.fill() : 0)
                .max().orElse(0);
    }

    void complete() {
        emit(COMPLETE);
    }

    @Override
    void emitSerialized(Object element) {
        if (element == COMPLETE) {
            sink.tryEmitComplete();
        } else {
            // FAIL_ZERO_SUBSCRIBER (nobody listening) and FAIL_TERMINATED (closed) are outcomes, not errors here.
            sink.tryEmitNext((Message<?>) element);
        }
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", subscribers=" + subscribers + "]";
    }
}
