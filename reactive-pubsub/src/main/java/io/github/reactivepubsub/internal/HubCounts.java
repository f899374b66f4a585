package io.github.reactivepubsub.internal;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running totals of a hub's {@link HubStats}: publishes by outcome, message copies delivered, copies dropped by
 * overflow policy, in striped counters ({@link LongAdder}) that publishing and delivering threads add to without
 * contending on one memory location. Each hub's stats extend it with the current figures and the per-topic counts
 * ({@link TopicCounts}). Not API.
 *
 * <p>Thread-safe: counters are monotonic and read without locks (a read racing an add may or may not include it).
 */
public abstract class HubCounts implements HubStats {

    private final LongAdder[] published = TopicCounts.adders(PublishResult.Status.values().length);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] dropped = TopicCounts.adders(Overflow.values().length);

    /** Creates the counters, all 0. */
    protected HubCounts() {
    }

    /**
     * @param result an outcome of a publish
     * @return {@code result}
     */
    protected final PublishResult addPublished(PublishResult result) {
        published[result.status().ordinal()].increment();
        return result;
    }

    /** @param copies message copies handed to subscribers */
    protected final void addDelivered(long copies) {
        delivered.add(copies);
    }

    /** @param policy the policy under which a subscriber's buffer dropped one copy */
    protected final void addDropped(Overflow policy) {
        dropped[policy.ordinal()].increment();
    }

    /**
     * @param policy the policy under which a subscriber's buffer dropped them
     * @param copies how many copies it dropped (a remote hub learns of them as counts)
     */
    protected final void addDropped(Overflow policy, long copies) {
        dropped[policy.ordinal()].add(copies);
    }

    @Override
    public final long published(PublishResult.Status status) {
        return published[status.ordinal()].sum();
    }

    @Override
    public final long delivered() {
        return delivered.sum();
    }

    @Override
    public final long dropped(Overflow policy) {
        return dropped[policy.ordinal()].sum();
    }

    @Override
    public String toString() {
        return "HubStats[delivered=" + delivered() + ", topics=" + topics() + ", subscribers=" + subscribers() + "]";
    }
}
