package io.github.reactivepubsub;

import org.reactivestreams.Publisher;

/**
 * The Reactive Streams TCK against {@link Hub#events()} (TestNG, on the JUnit Platform).
 *
 * <p>Events are hot: each TCK subscriber gets a fresh hub whose events it follows, and the hub then produces exactly
 * the requested number of events and closes, which completes the events. Every subscription made while the events
 * are followed is seen twice ({@link HubEvent.Added}, then {@link HubEvent.Removed} when the close completes it), so an
 * odd count adds one subscription made before the events subscriber came (only its removal is seen). The hub's
 * subscriber buffer is sized to hold them. The failed publisher is an events subscriber whose buffer of one
 * overflows under {@code Overflow.ERROR} (two subscriptions made after it subscribed, no demand): it must signal the
 * {@link OverflowException} without demand (rule 1.9).
 */
public class HubEventsTckTest extends TckVerification<HubEvent> {

    @Override
    public Publisher<HubEvent> createPublisher(long elements) {
        return subscriber -> {
            Hub hub = Hub.create(HubOptions.defaults()
                    .subscribeDefaults(SubscribeOptions.defaults().bufferSize(IN_PROCESS_MAX_ELEMENTS)));
            if (elements % 2 == 1) {
                hub.subscribe(Key.of("tck", "before")).subscribe(); // its removal is the odd event
            }
            hub.events().subscribe(subscriber);
            for (long i = 0; i < elements / 2; i++) {
                hub.subscribe(Key.of("tck", Long.toString(i))).subscribe();
            }
            hub.close();
        };
    }

    @Override
    public Publisher<HubEvent> createFailedPublisher() {
        return subscriber -> {
            Hub hub = Hub.create(HubOptions.defaults().subscribeDefaults(SubscribeOptions.defaults().bufferSize(1)));
            hub.events().subscribe(subscriber);
            hub.subscribe(Key.of("tck", "a")).subscribe();
            hub.subscribe(Key.of("tck", "b")).subscribe(); // a second event overflows the buffer of one
        };
    }
}
