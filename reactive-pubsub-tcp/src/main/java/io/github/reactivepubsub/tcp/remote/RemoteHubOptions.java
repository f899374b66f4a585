package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.internal.Backoff;
import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of a {@link RemoteHub}; every setter returns a new instance.
 *
 * <pre>{@code
 * RemoteHubOptions options = RemoteHubOptions.defaults()
 *         .credentials("feed", "s3cret")
 *         .backoff(Duration.ofMillis(50), Duration.ofSeconds(5), 0.5);
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class RemoteHubOptions {

    /** Default bound of the frames waiting to be written on the connection. */
    public static final int DEFAULT_MAX_PENDING_FRAMES = 65_536;
    /** Default bound of the broker topics mirrored by a hub ({@link #maxMirroredTopics(int, int)}). */
    public static final int DEFAULT_MAX_MIRRORED_TOPICS = 100_000;
    /** Default bound of the UTF-8 bytes of the mirrored topics' keys, 16 MiB ({@link #maxMirroredTopics(int, int)}). */
    public static final int DEFAULT_MAX_MIRRORED_KEY_BYTES = 16 << 20;

    private static final RemoteHubOptions DEFAULTS = new RemoteHubOptions("", "", Duration.ofMillis(100),
            Duration.ofSeconds(10), 0.5, Duration.ofSeconds(10), DEFAULT_MAX_PENDING_FRAMES,
            PubSubServerOptions.DEFAULT_MAX_FRAME_LENGTH, SubscribeOptions.defaults(), Schedulers.parallel(),
            DEFAULT_MAX_MIRRORED_TOPICS, DEFAULT_MAX_MIRRORED_KEY_BYTES);

    private final String username;
    private final String password;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration handshakeTimeout;
    private final int maxPendingFrames;
    private final int maxFrameLength;
    private final SubscribeOptions subscribeDefaults;
    private final Scheduler scheduler;
    private final int maxMirroredTopics;
    private final int maxMirroredKeyBytes;

    private RemoteHubOptions(String username, String password, Duration minBackoff, Duration maxBackoff, double jitter,
            Duration handshakeTimeout, int maxPendingFrames, int maxFrameLength, SubscribeOptions subscribeDefaults,
            Scheduler scheduler, int maxMirroredTopics, int maxMirroredKeyBytes) {
        Backoff.check(minBackoff, maxBackoff, jitter);
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.handshakeTimeout = Checks.positive("handshakeTimeout", handshakeTimeout);
        this.maxPendingFrames = Checks.atLeast("maxPendingFrames", maxPendingFrames, 16);
        this.maxFrameLength = Checks.atLeast("maxFrameLength", maxFrameLength, 64);
        this.subscribeDefaults = Objects.requireNonNull(subscribeDefaults, "subscribeDefaults");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.maxMirroredTopics = Checks.atLeast("maxMirroredTopics", maxMirroredTopics, 1);
        this.maxMirroredKeyBytes = Checks.atLeast("maxMirroredKeyBytes", maxMirroredKeyBytes, 1);
    }

    /**
     * @return no credentials, back-off from 100 ms to 10 s with jitter 0.5, handshake timeout 10 s,
     *     {@value #DEFAULT_MAX_PENDING_FRAMES} pending frames, frames up to 65535 bytes, default subscribe options,
     *     timers on {@code Schedulers.parallel()}, a mirror of at most {@value #DEFAULT_MAX_MIRRORED_TOPICS} broker
     *     topics whose keys take at most {@value #DEFAULT_MAX_MIRRORED_KEY_BYTES} bytes
     */
    public static RemoteHubOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param username sent in HELLO
     * @param password sent in HELLO (in clear: use TLS on untrusted networks)
     * @return a copy with these credentials
     */
    public RemoteHubOptions credentials(String username, String password) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout,
                maxPendingFrames, maxFrameLength, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * Reconnection delays: after the {@code n}-th failure in a row (from 0) the client waits
     * {@code min(max, min * 2^n)}, varied by a random factor in {@code [1 - jitter, 1 + jitter]} and kept within
     * {@code [min, max]}. The count restarts once a connection was established.
     *
     * @param min the first delay; positive
     * @param max the longest delay; at least {@code min}
     * @param jitter the random spread, between 0 (none) and 1
     * @return a copy with these bounds
     * @throws IllegalArgumentException when out of range
     */
    public RemoteHubOptions backoff(Duration min, Duration max, double jitter) {
        return new RemoteHubOptions(username, password, min, max, jitter, handshakeTimeout, maxPendingFrames,
                maxFrameLength, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * @param timeout how long connecting plus the HELLO / WELCOME exchange (with the topic snapshot) may take
     *     before the attempt counts as failed; positive
     * @return a copy with this timeout
     * @throws IllegalArgumentException when not positive
     */
    public RemoteHubOptions handshakeTimeout(Duration timeout) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, timeout, maxPendingFrames,
                maxFrameLength, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * @param frames the most frames (publishes, credits, subscribes) waiting to be written while the socket does not
     *     take bytes fast enough; a publish beyond it returns
     *     {@link io.github.reactivepubsub.PublishResult#BACK_PRESSURED}. At least 16.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 16
     */
    public RemoteHubOptions maxPendingFrames(int frames) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout, frames,
                maxFrameLength, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * @param bytes the largest frame body received or sent, not counting the 4-byte length prefix; keep it equal
     *     to the broker's. At least 64.
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 64
     */
    public RemoteHubOptions maxFrameLength(int bytes) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout,
                maxPendingFrames, bytes, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * @param options what {@code subscribe(pattern)} without options and {@code events()} use
     * @return a copy with these defaults
     */
    public RemoteHubOptions subscribeDefaults(SubscribeOptions options) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout,
                maxPendingFrames, maxFrameLength, options, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * @param scheduler the clock and thread of back-off delays, handshake timeouts and heartbeats (a
     *     {@code VirtualTimeScheduler} in tests)
     * @return a copy with this scheduler
     */
    public RemoteHubOptions scheduler(Scheduler scheduler) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout,
                maxPendingFrames, maxFrameLength, subscribeDefaults, scheduler, maxMirroredTopics,
                maxMirroredKeyBytes);
    }

    /**
     * Bounds the hub's mirror of the broker's topics (what {@code topics}, {@code subscriberCount} and
     * {@code topicOptions} answer from), which the broker fills with its snapshot and events. A broker whose topics
     * exceed either bound (in its snapshot, announced in WELCOME, or by its events) breaks this client's limit: the
     * connection is closed with a {@link io.github.reactivepubsub.ProtocolException} naming the bound, and the hub
     * reconnects. Raise them for a broker with more topics than the defaults allow.
     *
     * @param topics the most topics mirrored; at least 1
     * @param keyBytes the most UTF-8 bytes of the mirrored topics' keys, all together; at least 1
     * @return a copy with these bounds
     * @throws IllegalArgumentException when below 1
     */
    public RemoteHubOptions maxMirroredTopics(int topics, int keyBytes) {
        return new RemoteHubOptions(username, password, minBackoff, maxBackoff, jitter, handshakeTimeout,
                maxPendingFrames, maxFrameLength, subscribeDefaults, scheduler, topics, keyBytes);
    }

    /** @return the username sent in HELLO (empty for none) */
    public String username() {
        return username;
    }

    /** @return the password sent in HELLO (empty for none) */
    public String password() {
        return password;
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

    /** @return the handshake timeout */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the bound of frames waiting to be written */
    public int maxPendingFrames() {
        return maxPendingFrames;
    }

    /** @return the largest frame body, in bytes */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** @return the subscribe options used when none are given */
    public SubscribeOptions subscribeDefaults() {
        return subscribeDefaults;
    }

    /** @return the scheduler of timers */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** @return the most broker topics the hub mirrors */
    public int maxMirroredTopics() {
        return maxMirroredTopics;
    }

    /** @return the most UTF-8 bytes of the mirrored topics' keys */
    public int maxMirroredKeyBytes() {
        return maxMirroredKeyBytes;
    }

    @Override
    public String toString() {
        return "RemoteHubOptions[username=" + username + ", backoff=" + minBackoff + ".." + maxBackoff
                + " jitter " + jitter + ", handshakeTimeout=" + handshakeTimeout + ", maxPendingFrames="
                + maxPendingFrames + ", maxFrameLength=" + maxFrameLength + ", maxMirroredTopics=" + maxMirroredTopics
                + ", maxMirroredKeyBytes=" + maxMirroredKeyBytes + "]";
    }
}
