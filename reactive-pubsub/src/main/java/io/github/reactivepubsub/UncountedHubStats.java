package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.HubCounts;
import io.github.reactivepubsub.internal.TopicCounts;
import java.util.List;

/**
 * {@link Hub#stats()} of a hub that counts nothing: current figures from its public introspection, zero counts (the
 * counters of {@link HubCounts} and {@link TopicCounts}, which nothing adds to).
 */
final class UncountedHubStats extends HubCounts {

    private static final Key EVERY_TOPIC = Key.parse("**");

    private final Hub hub;

    UncountedHubStats(Hub hub) {
        this.hub = hub;
    }

    @Override
    public int topics() {
        return hub.topics(EVERY_TOPIC).size();
    }

    @Override
    public int subscribers() {
        List<Key> topics = hub.topics(EVERY_TOPIC);
        int sum = 0;
        for (Key topic : topics) {
            sum += hub.subscriberCount(topic);
        }
        return sum;
    }

    @Override
    public double bufferFillMax() {
        return 0;
    }

    @Override
    public TopicStats topic(Key topic) {
        return new TopicCounts(topic) {
            @Override
            public int subscribers() {
                return hub.subscriberCount(topic);
            }

            @Override
            public double bufferFillMax() {
                return 0;
            }
        };
    }
}
