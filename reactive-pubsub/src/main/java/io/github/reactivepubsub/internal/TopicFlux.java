package io.github.reactivepubsub.internal;

import io.github.reactivepubsub.Message;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * The {@code Flux} a hub's {@code subscribe(pattern, options)} returns: each Reactive Streams subscriber of it joins
 * the pattern's topic as one hub subscriber, through the hub's own {@link Join}. Not API.
 *
 * <p>Thread-safe: every subscription is a separate join.
 *
 * @param <T> the payload type the caller expects
 */
public final class TopicFlux<T> extends Flux<Message<T>> {

    /** How a hub makes one subscriber a member of the topic of the subscribed pattern, with its options. */
    @FunctionalInterface
    public interface Join {

        /**
         * Joins {@code actual} to the topic, or terminates it (completion once the hub is closed, an error when the
         * hub refuses the subscription).
         *
         * @param actual the subscriber; its {@code onSubscribe} is called exactly once
         */
        void join(CoreSubscriber<? super Message<?>> actual);
    }

    private final Join join;

    /** @param join how the hub makes each subscriber a member of the topic */
    public TopicFlux(Join join) {
        this.join = join;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void subscribe(CoreSubscriber<? super Message<T>> actual) {
        join.join((CoreSubscriber<? super Message<?>>) (CoreSubscriber<?>) actual);
    }
}
