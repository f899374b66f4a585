package io.github.reactivepubsub;

import java.util.Objects;

/**
 * A run of messages dropped for one subscriber where the messages themselves are not at hand: what a
 * {@link SubscribeOptions#onDrop drop listener} receives from a hub whose subscriber buffers live elsewhere (the TCP
 * {@code RemoteHub}, whose broker holds each subscriber's buffer and reports its drops as counts). An in-process hub
 * hands the listener each dropped {@link Message} instead.
 *
 * <pre>{@code
 * LongAdder dropped = new LongAdder();
 * remoteHub.subscribe(key, SubscribeOptions.defaults().overflow(Overflow.DROP_OLDEST)
 *         .onDrop(e -> dropped.add(e instanceof DroppedMessages run ? run.count() : 1)));
 * }</pre>
 *
 * @param topic the subscriber's key or pattern, as it subscribed (not the keys of the dropped messages: unknown)
 * @param policy the overflow policy that dropped them
 * @param count how many consecutive messages of the subscriber's stream were dropped; at least 1
 */
public record DroppedMessages(Key topic, Overflow policy, long count) {

    /**
     * Checks the components.
     *
     * @param topic the subscriber's key or pattern
     * @param policy the overflow policy that dropped them
     * @param count how many consecutive messages; at least 1
     * @throws NullPointerException when {@code topic} or {@code policy} is null
     * @throws IllegalArgumentException when {@code count < 1}
     */
    public DroppedMessages {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(policy, "policy");
        if (count < 1) {
            throw new IllegalArgumentException("a run of dropped messages has at least 1, got " + count);
        }
    }
}
