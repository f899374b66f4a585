package io.github.reactivepubsub;

/**
 * Running totals and current figures of one {@link Hub}, for monitoring: what
 * {@code io.github.reactivepubsub.micrometer.HubMetrics} exposes as meters, readable without Micrometer too.
 *
 * <pre>{@code
 * HubStats stats = hub.stats();                       // counting starts here
 * hub.publish("md.tick", tick);
 * long delivered = stats.delivered();
 * long dropped = stats.dropped(Overflow.DROP_OLDEST);
 * }</pre>
 *
 * <p><b>Cost.</b> An in-process hub counts nothing until {@link Hub#stats()} is first called: until then publishing
 * pays no counting at all. From then on it counts in striped counters ({@link java.util.concurrent.atomic.LongAdder}),
 * so publishing threads do not contend on one counter. Current figures ({@link #topics()}, {@link #subscribers()},
 * {@link #bufferFillMax()}) are computed when read, by walking the topics: read them at a scraping pace, not per
 * message.
 *
 * <p><b>Topics.</b> Hub-wide figures carry no topic. {@link #topic(Key)} counts one topic (one subscribed key or
 * pattern, as {@link Hub#subscriberCount(Key)} names it) on its own, from that call on: the caller chooses which
 * topics, so the number of per-topic figures is bounded by the caller's list, never by the keys published.
 *
 * <p>Thread-safe: every method may be called from any thread; counters are monotonic and read without locks
 * (a read racing a publish may or may not include it).
 */
public interface HubStats {

    /**
     * @param status an outcome of {@link Hub#publish(Key, Object)}
     * @return how many publishes had that outcome since counting started
     */
    long published(PublishResult.Status status);

    /**
     * @return message copies handed to subscribers since counting started: one per subscriber per message (for an
     *     in-process hub the sum of the {@link PublishResult#subscribers()} of the publishes; for a remote hub the
     *     messages its own subscribers received from the broker)
     */
    long delivered();

    /**
     * @param policy an overflow policy
     * @return message copies dropped by subscribers' full buffers under that policy since counting started (under
     *     {@link Overflow#ERROR}, the message that overflowed)
     */
    long dropped(Overflow policy);

    /** @return how many topics (subscribed keys and patterns, declared topics) are active now */
    int topics();

    /** @return how many subscribers the hub's topics have now */
    int subscribers();

    /**
     * @return the fullest subscriber buffer now, as a fraction of its size (0 when every buffer is empty or there is
     *     no subscriber; 1 when one is full)
     */
    double bufferFillMax();

    /**
     * Counts one topic on its own from now on (repeated calls return figures of the same counts).
     *
     * @param topic a subscribed key or pattern, compared exactly as {@link Hub#subscriberCount(Key)} does
     * @return that topic's figures; the topic need not be active yet
     */
    TopicStats topic(Key topic);

    /** Figures of one topic (see {@link HubStats#topic(Key)}). Thread-safe, like {@link HubStats}. */
    interface TopicStats {

        /** @return the topic's key or pattern */
        Key topic();

        /** @return message copies handed to the topic's subscribers since {@link HubStats#topic(Key)} was called */
        long delivered();

        /**
         * @param policy an overflow policy
         * @return message copies dropped by the topic's subscribers under that policy since then
         */
        long dropped(Overflow policy);

        /** @return how many subscribers the topic has now */
        int subscribers();

        /** @return the fullest buffer among the topic's subscribers now, as a fraction of its size */
        double bufferFillMax();
    }
}
