package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link HubStats} of a {@link RemoteHub}: publishes by outcome, and the messages its own subscribers received.
 * Always counting (striped counters: a few nanoseconds beside a message's trip over TCP). Drops happen at the
 * broker, so {@link #dropped} is 0 here and the subscribers have no buffer here ({@link #bufferFillMax} is 0):
 * the broker's hub counts both.
 */
final class RemoteHubStats implements HubStats {

    private final RemoteHub hub;
    private final LongAdder[] published = new LongAdder[PublishResult.Status.values().length];
    private final LongAdder delivered = new LongAdder();
    private final Map<Key, Counted> tracked = new ConcurrentHashMap<>();

    RemoteHubStats(RemoteHub hub) {
        this.hub = hub;
        for (int i = 0; i < published.length; i++) {
            published[i] = new LongAdder();
        }
    }

    PublishResult published(PublishResult result) {
        published[result.status().ordinal()].increment();
        return result;
    }

    void delivered(Key pattern) {
        delivered.increment();
        if (!tracked.isEmpty()) {
            Counted counted = tracked.get(pattern);
            if (counted != null) {
                counted.delivered.increment();
            }
        }
    }

    @Override
    public long published(PublishResult.Status status) {
        return published[status.ordinal()].sum();
    }

    @Override
    public long delivered() {
        return delivered.sum();
    }

    /** @return 0: drops happen at the broker, whose hub counts them */
    @Override
    public long dropped(Overflow policy) {
        return 0;
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

    private final class Counted implements TopicStats {

        private final Key topic;
        private final LongAdder delivered = new LongAdder();

        Counted(Key topic) {
            this.topic = topic;
        }

        @Override
        public Key topic() {
            return topic;
        }

        @Override
        public long delivered() {
            return delivered.sum();
        }

        @Override
        public long dropped(Overflow policy) {
            return 0;
        }

        /** @return the broker-wide count of the topic, from the mirror */
        @Override
        public int subscribers() {
            return hub.subscriberCount(topic);
        }

        @Override
        public double bufferFillMax() {
            return 0;
        }
    }
}
