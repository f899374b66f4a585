package io.github.reactivepubsub.internal;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running counts of one topic that a hub's {@link HubStats#topic(Key)} tracks: message copies delivered and
 * dropped by overflow policy, in striped counters ({@link LongAdder}) that the delivering threads add to without
 * contending. Each hub's stats extend it with the current figures, which it computes from its own topics. Not API.
 *
 * <p>Thread-safe: counters are monotonic and read without locks.
 */
public abstract class TopicCounts implements HubStats.TopicStats {

    private static final Overflow[] POLICIES = Overflow.values();

    private final Key topic;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] dropped = adders(POLICIES.length);

    /**
     * Creates the counts of one topic, all 0.
     *
     * @param topic the tracked key or pattern
     */
    protected TopicCounts(Key topic) {
        this.topic = topic;
    }

    /** @param copies message copies handed to the topic's subscribers */
    public final void addDelivered(long copies) {
        delivered.add(copies);
    }

    /** @param policy the policy under which a subscriber's buffer dropped one copy */
    public final void addDropped(Overflow policy) {
        dropped[policy.ordinal()].increment();
    }

    /**
     * @param policy the policy under which a subscriber's buffer dropped them
     * @param copies how many copies it dropped (a remote hub learns of them as counts)
     */
    public final void addDropped(Overflow policy, long copies) {
        dropped[policy.ordinal()].add(copies);
    }

    @Override
    public final Key topic() {
        return topic;
    }

    @Override
    public final long delivered() {
        return delivered.sum();
    }

    @Override
    public final long dropped(Overflow policy) {
        return dropped[policy.ordinal()].sum();
    }

    /**
     * @param n how many
     * @return that many fresh counters (one per enum constant, indexed by ordinal)
     */
    public static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
