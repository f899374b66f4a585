package io.github.reactivepubsub.facade;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.InvalidKeyException;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import java.util.Objects;

/**
 * Publishes to one named topic of a hub (dask.distributed's {@code Pub}). A topic name is a concrete {@link Key}
 * such as {@code "prices.GOOGL"}, parsed with {@link Key#parse(String)}.
 *
 * <pre>{@code
 * Pub<Double> pub = Pub.create(hub, "prices.GOOGL");
 * Sub<Double> sub = Sub.create(hub, "prices.GOOGL");
 * pub.put(1639.43);                            // DELIVERED(1)
 * double price = sub.get(Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Threading: immutable and safe from any thread; {@link #put} never blocks, like {@link Hub#publish(Key, Object)}.
 * Backpressure: none at the publisher; each subscriber's bounded buffer applies its own overflow policy.
 *
 * @param <T> the message type
 */
public final class Pub<T> {

    private final Hub hub;
    private final Key topic;

    private Pub(Hub hub, Key topic) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.topic = topic.requireConcrete();
    }

    /**
     * A publisher to a named topic. Creating it does not touch the hub: messages put while the topic has no
     * subscriber are dropped ({@link PublishResult#NO_SUBSCRIBERS}), as in dask.
     *
     * <pre>{@code
     * Pub<String> pub = Pub.create(hub, "chat.room1");
     * }</pre>
     *
     * @param hub the hub to publish to
     * @param topic the dotted topic name, a concrete key
     * @param <T> the message type
     * @return the publisher
     * @throws InvalidKeyException when the name is not a well-formed concrete key
     */
    public static <T> Pub<T> create(Hub hub, String topic) {
        return new Pub<>(hub, Key.parse(topic));
    }

    /**
     * A publisher to a topic given as a key.
     *
     * @param hub the hub to publish to
     * @param topic the topic, a concrete key
     * @param <T> the message type
     * @return the publisher
     * @throws InvalidKeyException when the key is a pattern
     */
    public static <T> Pub<T> create(Hub hub, Key topic) {
        return new Pub<>(hub, topic);
    }

    /** @return the topic this publisher puts to */
    public Key topic() {
        return topic;
    }

    /**
     * Publishes a message to the topic: every subscriber of the topic (and every hub subscriber whose pattern matches
     * it) receives it. Never blocks and never throws for lack of subscribers.
     *
     * @param message the message, delivered as is (not copied)
     * @return how many subscribers it was handed to, {@link PublishResult#NO_SUBSCRIBERS} or
     *     {@link PublishResult#CLOSED}
     * @throws NullPointerException when the message is null
     */
    public PublishResult put(T message) {
        return hub.publish(topic, message);
    }

    /**
     * The number of subscribers of exactly this topic now (dask's {@code pub.subscribers}): every {@link Sub} of it
     * and every hub subscriber of this exact key. Subscribers of a wildcard pattern that matches the topic are not
     * counted (see {@link Hub#subscriberCount(Key)}), although {@link #put} reaches them.
     *
     * @return the current count; 0 once the hub is closed and its subscribers have left
     */
    public int subscribers() {
        return hub.subscriberCount(topic);
    }

    @Override
    public String toString() {
        return "Pub[" + topic + "]";
    }
}
