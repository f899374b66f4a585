package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.internal.HubCounts;
import io.github.reactivepubsub.internal.TopicCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link HubStats} of a {@link RemoteHub}: publishes by outcome, the messages its own subscribers received, and
 * the messages the broker dropped for them as it reported them (DROPPED frames, protocol version 2; an overflow
 * under ERROR counts 1, in either version). Always counting (striped counters, {@link HubCounts}: a few nanoseconds
 * beside a message's trip over TCP). The subscribers' buffers are at the broker, so {@link #bufferFillMax} is 0
 * here. A version 1 broker does not report its DROP_OLDEST / DROP_LATEST drops: its hub counts them.
 */
final class RemoteHubStats extends HubCounts {

    private final RemoteHub hub;
    private final Map<Key, Counted> tracked = new ConcurrentHashMap<>();

    RemoteHubStats(RemoteHub hub) {
        this.hub = hub;
    }

    PublishResult published(PublishResult result) {
        return addPublished(result);
    }

    void delivered(Key pattern) {
        addDelivered(1);
        if (!tracked.isEmpty()) {
            Counted counted = tracked.get(pattern);
            if (counted != null) {
                counted.addDelivered(1);
            }
        }
    }

    /** Counts {@code count} messages the broker dropped for a subscriber of {@code pattern}. */
    void dropped(Key pattern, Overflow policy, long count) {
        addDropped(policy, count);
        if (!tracked.isEmpty()) {
            Counted counted = tracked.get(pattern);
            if (counted != null) {
                counted.addDropped(policy, count);
            }
        }
    }

    /** @return the broker's topics, from the hub's mirror */
    @Override
    public int topics() {
        return hub.mirroredTopics();
    }

    /** @return this hub's own subscriptions (the broker's hub counts every client's) */
    @Override
    public int subscribers() {
        return hub.subscriptionCount();
    }

    /** @return 0: a remote subscriber's buffer is at the broker */
    @Override
    public double bufferFillMax() {
        return 0;
    }

    @Override
    public TopicStats topic(Key topic) {
        return tracked.computeIfAbsent(topic, Counted::new);
    }

    private final class Counted extends TopicCounts {

        Counted(Key topic) {
            super(topic);
        }

        /** @return the broker-wide count of the topic, from the mirror */
        @Override
        public int subscribers() {
            return hub.subscriberCount(topic());
        }

        @Override
        public double bufferFillMax() {
            return 0;
        }
    }
}
