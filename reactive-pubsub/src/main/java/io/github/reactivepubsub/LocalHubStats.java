package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.HubCounts;
import io.github.reactivepubsub.internal.TopicCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link HubStats} of a {@link LocalHub}, created on the first {@link Hub#stats()}: striped counters
 * ({@link HubCounts}) that publishing threads add to without contending on one memory location; current figures are
 * computed from the hub's topics when read.
 */
final class LocalHubStats extends HubCounts {

    private final LocalHub hub;
    private final Map<Key, Counted> tracked = new ConcurrentHashMap<>();

    LocalHubStats(LocalHub hub) {
        this.hub = hub;
    }

    /** Counts one publish: its outcome and, when delivered, its copies. */
    void published(PublishResult result) {
        addPublished(result);
        int subscribers = result.subscribers();
        if (subscribers != 0) {
            addDelivered(subscribers);
        }
    }

    void dropped(Topic topic, Overflow policy) {
        addDropped(policy);
        Counted counted = topic.counted;
        if (counted != null) {
            counted.addDropped(policy);
        }
    }

    /** @return the counts of a tracked topic, or null (called under the hub's lock when a topic is created) */
    Counted countedOrNull(Key pattern) {
        return tracked.get(pattern);
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

    /** The counts of one tracked topic; they outlive the topic (a topic that goes and comes back counts on). */
    final class Counted extends TopicCounts {

        Counted(Key topic) {
            super(topic);
        }

        @Override
        public int subscribers() {
            return hub.subscriberCount(topic());
        }

        @Override
        public double bufferFillMax() {
            Topic active = hub.activeTopic(topic());
            return active == null ? 0 : active.bufferFillMax();
        }
    }
}
