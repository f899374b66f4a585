package io.github.reactivepubsub.internal;

import io.github.reactivepubsub.TckVerification;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK against {@link TakeUntilOther} (TestNG, on the JUnit Platform); the other side never ends
 * (a failed one is the failed publisher).
 */
public class TakeUntilOtherTckTest extends TckVerification<Long> {

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return TakeUntilOther.of(Flux.range(0, (int) elements).map(Integer::longValue), Mono.never());
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return TakeUntilOther.of(Flux.never(), Mono.error(new IllegalStateException("the other side failed")));
    }
}
