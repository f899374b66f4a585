package io.github.reactivepubsub;

import java.util.List;

/** {@link Hub#stats()} of a hub that counts nothing: current figures from its public introspection, zero counts. */
final class UncountedHubStats implements HubStats {

    private static final Key EVERY_TOPIC = Key.parse("**");

    private final Hub hub;

    UncountedHubStats(Hub hub) {
        this.hub = hub;
    }

    @Override
    public long published(PublishResult.Status status) {
        return 0;
    }

    @Override
    public long delivered() {
        return 0;
    }

    @Override
    public long dropped(Overflow policy) {
        return 0;
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
        return new TopicStats() {
            @Override
            public Key topic() {
                return topic;
            }

            @Override
            public long delivered() {
                return 0;
            }

            @Override
            public long dropped(Overflow policy) {
                return 0;
            }

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
