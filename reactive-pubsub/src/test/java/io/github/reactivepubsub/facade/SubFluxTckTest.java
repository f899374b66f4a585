package io.github.reactivepubsub.facade;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TckVerification;
import org.reactivestreams.Publisher;

/**
 * The Reactive Streams TCK against {@link Sub#asFlux()} (TestNG, on the JUnit Platform).
 *
 * <p>Each TCK subscriber gets a fresh hub and {@code Sub} holding exactly the requested number of messages (its
 * buffer sized to hold them) and a closed hub, so the flux ends after them. The failed publisher is a {@code Sub}
 * that overflowed its buffer of one under {@code Overflow.ERROR} before anyone subscribed: rule 1.9 requires its
 * {@code onError} right after {@code onSubscribe}, without demand.
 */
public class SubFluxTckTest extends TckVerification<Long> {

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return subscriber -> {
            Hub hub = Hub.create();
            Sub<Long> sub = Sub.create(hub, "tck", SubscribeOptions.defaults().bufferSize(IN_PROCESS_MAX_ELEMENTS));
            Pub<Long> pub = Pub.create(hub, "tck");
            for (long i = 0; i < elements; i++) {
                pub.put(i);
            }
            hub.close();
            sub.asFlux().subscribe(subscriber);
        };
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        Hub hub = Hub.create();
        Sub<Long> sub = Sub.create(hub, "tck", SubscribeOptions.defaults().bufferSize(1));
        Pub<Long> pub = Pub.create(hub, "tck");
        pub.put(1L);
        pub.put(2L); // overflows: the Sub has failed
        return sub.asFlux();
    }
}
