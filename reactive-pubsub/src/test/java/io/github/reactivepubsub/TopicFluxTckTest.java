package io.github.reactivepubsub;

import org.reactivestreams.Publisher;

/**
 * The Reactive Streams TCK against a hub topic's Flux (TestNG, run on the JUnit Platform by testng-engine).
 *
 * <p>A topic is hot, so each TCK subscriber gets a fresh hub whose topic it joins; the elements are then
 * published and the hub closed (which completes the topic). The elements wait in the subscriber's own buffer, sized
 * to hold them, so the TCK exercises exactly the hub's demand, buffering, cancellation and completion. The failed
 * publisher is a subscriber whose buffer of one overflows under {@code Overflow.ERROR} right after it subscribed:
 * its flux must signal the {@link OverflowException} without demand (rule 1.9).
 */
public class TopicFluxTckTest extends TckVerification<Message<Long>> {

    private static final Key TOPIC = Key.parse("tck.topic");

    @Override
    public Publisher<Message<Long>> createPublisher(long elements) {
        int size = (int) Math.max(1, elements);
        return subscriber -> {
            Hub hub = Hub.create();
            hub.<Long>subscribe(TOPIC, SubscribeOptions.defaults().bufferSize(size)).subscribe(subscriber);
            for (long i = 0; i < elements; i++) {
                hub.publish(TOPIC, i);
            }
            hub.close();
        };
    }

    @Override
    public Publisher<Message<Long>> createFailedPublisher() {
        return subscriber -> {
            Hub hub = Hub.create();
            hub.<Long>subscribe(TOPIC, SubscribeOptions.defaults().bufferSize(1)).subscribe(subscriber);
            hub.publish(TOPIC, 1L);
            hub.publish(TOPIC, 2L); // overflows the buffer of one: this subscriber's flux fails
        };
    }
}
