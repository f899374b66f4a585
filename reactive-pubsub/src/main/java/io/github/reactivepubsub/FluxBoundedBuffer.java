package io.github.reactivepubsub;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/** {@link BoundedBuffer#of} applied to a source: each subscriber gets its own {@link BoundedBufferSubscriber}. */
final class FluxBoundedBuffer<T> extends FluxOperator<T, T> {

    private final String name;
    private final SubscribeOptions options;

    FluxBoundedBuffer(Flux<? extends T> source, String name, SubscribeOptions options) {
        super(source);
        this.name = name;
        this.options = options;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new BoundedBufferSubscriber<>(actual, name, options, null));
    }
}
