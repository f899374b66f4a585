package io.github.reactivepubsub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link HubStats} of a {@link LocalHub}, created on the first {@link Hub#stats()}: striped counters
 * ({@link LongAdder}) that publishing threads add to without contending on one memory location; current figures
 * are computed from the hub's topics when read.
 */
final class LocalHubStats implements HubStats {

    private static final PublishResult.Status[] STATUSES = PublishResult.Status.values();
    private static final Overflow[] POLICIES = Overflow.values();

    private final LocalHub hub;
    private final LongAdder[] published = adders(STATUSES.length);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] dropped = adders(POLICIES.length);
    private final Map<Key, Counted> tracked = new ConcurrentHashMap<>();

    LocalHubStats(LocalHub hub) {
        this.hub = hub;
    }

    /** Counts one publish: its outcome and, when delivered, its copies. */
    void published(PublishResult result) {
        published[result.status().ordinal()].increment();
        int subscribers = result.subscribers();
        if (subscribers != 0) {
            delivered.add(subscribers);
        }
    }

    void dropped(Topic topic, Overflow policy) {
        dropped[policy.ordinal()].increment();
        Counted counted = topic.counted;
        if (counted != null) {
            counted.dropped[policy.ordinal()].increment();
        }
    }

    /** @return the counts of a tracked topic, or null (called under the hub's lock when a topic is created) */
    Counted countedOrNull(Key pattern) {
        return tracked.get(pattern);
    }

    @Override
    public long published(PublishResult.Status status) {
        return published[status.ordinal()].sum();
    }

    @Override
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public long dropped(Overflow policy) {
        return dropped[policy.ordinal()].sum();
    }

    @Override
    public int topics() {
        return hub.topicCount();
    }

    @Override
    public int subscribers() {
        int sum = 0;
        for (Topic topic : hub.activeTopics()) {
            sum += topic.subscribers;
        }
        return sum;
    }

    @Override
    public double bufferFillMax() {
        double max = 0;
        for (Topic topic : hub.activeTopics()) {
            max = Math.max(max, topic.bufferFillMax());
        }
        return max;
    }

    @Override
    public TopicStats topic(Key topic) {
        return hub.track(tracked.computeIfAbsent(topic, Counted::new));
    }

    @Override
    public String toString() {
        return "HubStats[delivered=" + delivered() + ", topics=" + topics() + ", subscribers=" + subscribers() + "]";
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** The counts of one tracked topic; they outlive the topic (a topic that goes and comes back counts on). */
    final class Counted implements TopicStats {

        private final Key topic;
        final LongAdder delivered = new LongAdder();
        final LongAdder[] dropped = adders(POLICIES.length);

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
            return dropped[policy.ordinal()].sum();
        }

        @Override
        public int subscribers() {
            return hub.subscriberCount(topic);
        }

        @Override
        public double bufferFillMax() {
            Topic active = hub.activeTopic(topic);
            return active == null ? 0 : active.bufferFillMax();
        }
    }
}
