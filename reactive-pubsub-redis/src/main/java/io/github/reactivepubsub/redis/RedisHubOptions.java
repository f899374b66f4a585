package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.internal.Backoff;
import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of a {@link RedisHub}; every setter returns a new instance.
 *
 * <pre>{@code
 * RedisHubOptions options = RedisHubOptions.defaults()
 *         .namespace("app:")                       // channels app:<key>
 *         .maxMessageBytes(64 * 1024)
 *         .backoff(Duration.ofMillis(50), Duration.ofSeconds(5), 0.5);
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class RedisHubOptions {

    /** Default bound of publishes sent and not yet answered by Redis. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 65_536;
    /** Default largest encoded payload, in bytes, sent or accepted. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    private static final RedisHubOptions DEFAULTS = new RedisHubOptions("", DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_MAX_IN_FLIGHT, Duration.ofMillis(100), Duration.ofSeconds(10), 0.5,
            SubscribeOptions.defaults(), Schedulers.parallel(), true, Duration.ofSeconds(5));

    private final String namespace;
    private final int maxMessageBytes;
    private final int maxInFlight;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final SubscribeOptions subscribeDefaults;
    private final Scheduler scheduler;
    private final boolean clusterPatterns;
    private final Duration streamBlock;

    private RedisHubOptions(String namespace, int maxMessageBytes, int maxInFlight, Duration minBackoff,
            Duration maxBackoff, double jitter, SubscribeOptions subscribeDefaults, Scheduler scheduler,
            boolean clusterPatterns, Duration streamBlock) {
        Backoff.check(minBackoff, maxBackoff, jitter);
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.maxMessageBytes = Checks.atLeast("maxMessageBytes", maxMessageBytes, 1);
        this.maxInFlight = Checks.atLeast("maxInFlight", maxInFlight, 1);
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.subscribeDefaults = Objects.requireNonNull(subscribeDefaults, "subscribeDefaults");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clusterPatterns = clusterPatterns;
        this.streamBlock = Checks.positive("streamBlock", streamBlock);
    }

    /**
     * @return no namespace, messages up to {@value #DEFAULT_MAX_MESSAGE_BYTES} bytes, {@value #DEFAULT_MAX_IN_FLIGHT}
     *     publishes in flight, reconnection back-off from 100 ms to 10 s with jitter 0.5, default subscribe options,
     *     timers on {@code Schedulers.parallel()}, patterns enabled in cluster mode, stream reads blocking 5 s at most
     */
    public static RedisHubOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A literal prefix of every channel and stream key (pulsar's {@code namespace}): key {@code a.b} is channel
     * {@code <namespace>a.b}. Include your own separator ({@code "app:"} or {@code "app."}). Hubs with different
     * namespaces on one Redis do not see each other's messages.
     *
     * @param prefix the prefix, possibly empty
     * @return a copy with this namespace
     */
    public RedisHubOptions namespace(String prefix) {
        return new RedisHubOptions(prefix, maxMessageBytes, maxInFlight, minBackoff, maxBackoff, jitter,
                subscribeDefaults, scheduler, clusterPatterns, streamBlock);
    }

    /**
     * The largest encoded payload: a larger publish is refused before sending (a {@link RedisHubException}), and a
     * larger message received fails the subscribers it reached instead of being decoded. Every subscriber therefore
     * holds at most {@code bufferSize × maxMessageBytes} payload bytes.
     *
     * @param bytes at least 1
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 1
     */
    public RedisHubOptions maxMessageBytes(int bytes) {
        return new RedisHubOptions(namespace, bytes, maxInFlight, minBackoff, maxBackoff, jitter, subscribeDefaults,
                scheduler, clusterPatterns, streamBlock);
    }

    /**
     * @param publishes the most publishes sent and not yet answered by Redis; a publish beyond it returns
     *     {@link io.github.reactivepubsub.PublishResult#BACK_PRESSURED}. At least 1.
     * @return a copy with this window
     * @throws IllegalArgumentException when below 1
     */
    public RedisHubOptions maxInFlight(int publishes) {
        return new RedisHubOptions(namespace, maxMessageBytes, publishes, minBackoff, maxBackoff, jitter,
                subscribeDefaults, scheduler, clusterPatterns, streamBlock);
    }

    /**
     * Reconnection delays: after the {@code n}-th failure in a row (from 0) the hub waits
     * {@code min(max, min * 2^n)}, varied by a random factor in {@code [1 - jitter, 1 + jitter]} and kept within
     * {@code [min, max]}. The count restarts once connected.
     *
     * @param min the first delay; positive
     * @param max the longest delay; at least {@code min}
     * @param jitter the random spread, between 0 (none) and 1
     * @return a copy with these bounds
     * @throws IllegalArgumentException when out of range
     */
    public RedisHubOptions backoff(Duration min, Duration max, double jitter) {
        return new RedisHubOptions(namespace, maxMessageBytes, maxInFlight, min, max, jitter, subscribeDefaults,
                scheduler, clusterPatterns, streamBlock);
    }

    /**
     * @param options what {@code subscribe(pattern)} without options and {@code events()} use
     * @return a copy with these defaults
     */
    public RedisHubOptions subscribeDefaults(SubscribeOptions options) {
        return new RedisHubOptions(namespace, maxMessageBytes, maxInFlight, minBackoff, maxBackoff, jitter, options,
                scheduler, clusterPatterns, streamBlock);
    }

    /**
     * @param scheduler the clock and thread of reconnection delays (a {@code VirtualTimeScheduler} in tests)
     * @return a copy with this scheduler
     */
    public RedisHubOptions scheduler(Scheduler scheduler) {
        return new RedisHubOptions(namespace, maxMessageBytes, maxInFlight, minBackoff, maxBackoff, jitter,
                subscribeDefaults, scheduler, clusterPatterns, streamBlock);
    }

    /**
     * Cluster mode only. Exact keys use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}), which scales with the
     * shards; Redis delivers only classic {@code PUBLISH} traffic to {@code PSUBSCRIBE}. With patterns enabled (the
     * default) every publish is sent twice, as {@code SPUBLISH} to the key's shard and as a cluster-wide
     * {@code PUBLISH}, so exact and pattern subscribers each receive it once. Disabled, a publish is one
     * {@code SPUBLISH} and subscribing to a pattern fails with a {@link RedisHubException}.
     *
     * @param enabled whether pattern subscriptions are supported in cluster mode
     * @return a copy with this choice
     */
    public RedisHubOptions clusterPatterns(boolean enabled) {
        return new RedisHubOptions(namespace, maxMessageBytes, maxInFlight, minBackoff, maxBackoff, jitter,
                subscribeDefaults, scheduler, enabled, streamBlock);
    }

    /**
     * @param block how long one read of a replay topic's stream ({@code XREAD BLOCK}) waits for new entries before
     *     it is issued again; positive, and shorter than the client's command timeout
     * @return a copy with this duration
     * @throws IllegalArgumentException when not positive
     */
    public RedisHubOptions streamBlock(Duration block) {
        return new RedisHubOptions(namespace, maxMessageBytes, maxInFlight, minBackoff, maxBackoff, jitter,
                subscribeDefaults, scheduler, clusterPatterns, block);
    }

    /** @return the channel prefix (empty for none) */
    public String namespace() {
        return namespace;
    }

    /** @return the largest encoded payload, in bytes */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return the bound of publishes in flight */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** @return the first reconnection delay */
    public Duration minBackoff() {
        return minBackoff;
    }

    /** @return the longest reconnection delay */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the random spread of reconnection delays, 0 to 1 */
    public double jitter() {
        return jitter;
    }

    /** @return the subscribe options used when none are given */
    public SubscribeOptions subscribeDefaults() {
        return subscribeDefaults;
    }

    /** @return the scheduler of timers */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** @return whether patterns are supported in cluster mode */
    public boolean clusterPatterns() {
        return clusterPatterns;
    }

    /** @return how long one stream read blocks at most */
    public Duration streamBlock() {
        return streamBlock;
    }

    @Override
    public String toString() {
        return "RedisHubOptions[namespace='" + namespace + "', maxMessageBytes=" + maxMessageBytes + ", maxInFlight="
                + maxInFlight + ", backoff=" + minBackoff + ".." + maxBackoff + " jitter " + jitter
                + ", clusterPatterns=" + clusterPatterns + ", streamBlock=" + streamBlock + "]";
    }
}
