package io.github.reactivepubsub;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK against {@link BoundedBuffer} applied to a source (TestNG, on the JUnit Platform).
 *
 * <p>The buffer requests everything from its source at once, so the source is a finite {@code Flux.range} and the
 * buffer is sized to hold all of it: the TCK then exercises exactly the buffer's own demand accounting, cancellation
 * and termination (past its size, the overflow policy would apply). The failed publisher is the buffer over a source
 * that fails.
 */
public class BoundedBufferTckTest extends TckVerification<Integer> {

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        return Flux.range(0, (int) elements)
                .transform(BoundedBuffer.of("tck", SubscribeOptions.defaults().bufferSize(IN_PROCESS_MAX_ELEMENTS)));
    }

    @Override
    public Publisher<Integer> createFailedPublisher() {
        return Flux.<Integer>error(new IllegalStateException("source failed"))
                .transform(BoundedBuffer.of("tck", SubscribeOptions.defaults()));
    }
}
