package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.wire.FrameFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiPredicate;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of a {@link PubSubServer}; every setter returns a new instance.
 *
 * <pre>{@code
 * PubSubServerOptions options = PubSubServerOptions.defaults()
 *         .credentials("feed", "s3cret")
 *         .maxSubscriptions(100)
 *         .heartbeatInterval(Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Limits are per connection; a client that exceeds one is sent an ERROR frame naming the limit and closed, and no
 * other connection is affected. Thread-safe (immutable).
 */
public final class PubSubServerOptions {

    /** Default largest frame body, in bytes. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 65_535;
    /** Default most live subscriptions per connection. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1_024;
    /** Default longest subscription pattern, in UTF-8 bytes. */
    public static final int DEFAULT_MAX_PATTERN_LENGTH = 1_024;
    /** Default largest buffer a remote subscription gets on the server, in messages. */
    public static final int DEFAULT_MAX_BUFFER_SIZE = 65_536;
    /** Default bound of a connection's queue of control frames (welcome, topic snapshot and events, ends). */
    public static final int DEFAULT_MAX_CONTROL_FRAMES = 65_536;

    private static final BiPredicate<String, String> ANYONE = (username, password) -> true;
    private static final PubSubServerOptions DEFAULTS = new PubSubServerOptions(ANYONE, false, Duration.ofSeconds(5),
            DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_SUBSCRIPTIONS, DEFAULT_MAX_PATTERN_LENGTH, DEFAULT_MAX_BUFFER_SIZE,
            DEFAULT_MAX_CONTROL_FRAMES, Schedulers.parallel());

    private final BiPredicate<String, String> authenticator;
    private final boolean authenticating;
    private final Duration heartbeatInterval;
    private final int maxFrameLength;
    private final int maxSubscriptions;
    private final int maxPatternLength;
    private final int maxBufferSize;
    private final int maxControlFrames;
    private final Scheduler scheduler;

    private PubSubServerOptions(BiPredicate<String, String> authenticator, boolean authenticating,
            Duration heartbeatInterval, int maxFrameLength, int maxSubscriptions, int maxPatternLength,
            int maxBufferSize, int maxControlFrames, Scheduler scheduler) {
        this.authenticator = authenticator;
        this.authenticating = authenticating;
        this.heartbeatInterval = heartbeatInterval;
        this.maxFrameLength = maxFrameLength;
        this.maxSubscriptions = maxSubscriptions;
        this.maxPatternLength = maxPatternLength;
        this.maxBufferSize = maxBufferSize;
        this.maxControlFrames = maxControlFrames;
        this.scheduler = scheduler;
    }

    /**
     * @return anyone may connect, heartbeats every 5 s, frames up to {@value #DEFAULT_MAX_FRAME_LENGTH} bytes,
     *     {@value #DEFAULT_MAX_SUBSCRIPTIONS} subscriptions per connection, patterns up to
     *     {@value #DEFAULT_MAX_PATTERN_LENGTH} bytes, buffers up to {@value #DEFAULT_MAX_BUFFER_SIZE} messages,
     *     timers on {@code Schedulers.parallel()}
     */
    public static PubSubServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Accepts only clients whose HELLO carries exactly this username and password (compared in constant time).
     *
     * @param username the expected username
     * @param password the expected password
     * @return a copy with this single account
     */
    public PubSubServerOptions credentials(String username, String password) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        return authenticator((u, p) -> MessageDigest.isEqual(user, u.getBytes(StandardCharsets.UTF_8))
                & MessageDigest.isEqual(pass, p.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks the credentials of each HELLO. Called on the connection's event loop: it must not block (look up an
     * in-memory table, not a database).
     *
     * @param authenticator given the username and password (empty when the client sent none), whether to accept;
     *     a rejected client is sent ERROR {@link ErrorCode#AUTHENTICATION_FAILED} and closed
     * @return a copy with this authenticator
     */
    public PubSubServerOptions authenticator(BiPredicate<String, String> authenticator) {
        return new PubSubServerOptions(Objects.requireNonNull(authenticator, "authenticator"), true, heartbeatInterval,
                maxFrameLength, maxSubscriptions, maxPatternLength, maxBufferSize, maxControlFrames, scheduler);
    }

    /**
     * @param interval how long the server lets a connection's outbound side stay silent before it sends a
     *     HEARTBEAT; announced in WELCOME, and the client does the same. A connection that receives nothing for two
     *     to four intervals (two checks of twice the interval) is closed as dead or half-open. Positive, at most
     *     2^31 - 1 ms.
     * @return a copy with this interval
     * @throws IllegalArgumentException when not positive or too long
     */
    public PubSubServerOptions heartbeatInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("heartbeatInterval must be between 1 ms and 2^31-1 ms, was " + interval);
        }
        return new PubSubServerOptions(authenticator, authenticating, interval, maxFrameLength, maxSubscriptions,
                maxPatternLength, maxBufferSize, maxControlFrames, scheduler);
    }

    /**
     * @param bytes the largest frame body accepted (and sent), not counting the 4-byte length prefix. A client
     *     announcing a longer frame is closed as soon as the length arrived, before its body is buffered (the reason
     *     is logged; no ERROR frame is sent). At least 64.
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 64
     */
    public PubSubServerOptions maxFrameLength(int bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("maxFrameLength must be at least 64 bytes, was " + bytes);
        }
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, bytes, maxSubscriptions,
                maxPatternLength, maxBufferSize, maxControlFrames, scheduler);
    }

    /**
     * @param count the most live subscriptions of one connection; one more is answered with ERROR
     *     {@link ErrorCode#TOO_MANY_SUBSCRIPTIONS} and the connection is closed. At least 1.
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 1
     */
    public PubSubServerOptions maxSubscriptions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxSubscriptions must be at least 1, was " + count);
        }
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, maxFrameLength, count,
                maxPatternLength, maxBufferSize, maxControlFrames, scheduler);
    }

    /**
     * @param bytes the longest pattern of a SUBSCRIBE, in UTF-8 bytes; a longer one is answered with ERROR
     *     {@link ErrorCode#PATTERN_TOO_LONG} and the connection is closed. Between 1 and 65535.
     * @return a copy with this limit
     * @throws IllegalArgumentException when out of range
     */
    public PubSubServerOptions maxPatternLength(int bytes) {
        if (bytes < 1 || bytes > FrameFields.MAX_STRING) {
            throw new IllegalArgumentException("maxPatternLength must be between 1 and 65535 bytes, was " + bytes);
        }
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, maxFrameLength,
                maxSubscriptions, bytes, maxBufferSize, maxControlFrames, scheduler);
    }

    /**
     * @param messages the largest buffer a remote subscription gets in the server's hub: a SUBSCRIBE asking for more
     *     is given this many (the server's memory per subscription stays bounded). At least 1.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1
     */
    public PubSubServerOptions maxBufferSize(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("maxBufferSize must be at least 1, was " + messages);
        }
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, maxFrameLength,
                maxSubscriptions, maxPatternLength, messages, maxControlFrames, scheduler);
    }

    /**
     * @param frames the bound of a connection's queue of control frames: WELCOME, the topic snapshot, topic events,
     *     subscription ends. A connection whose queue overflows (a client not reading while topics churn, or more
     *     topics than this at connection) is sent ERROR {@link ErrorCode#OVERLOADED} and closed; it resynchronizes
     *     when it reconnects. At least 16.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 16
     */
    public PubSubServerOptions maxControlFrames(int frames) {
        if (frames < 16) {
            throw new IllegalArgumentException("maxControlFrames must be at least 16, was " + frames);
        }
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, maxFrameLength,
                maxSubscriptions, maxPatternLength, maxBufferSize, frames, scheduler);
    }

    /**
     * @param scheduler the clock and thread of heartbeat timers (a {@code VirtualTimeScheduler} in tests)
     * @return a copy with this scheduler
     */
    public PubSubServerOptions scheduler(Scheduler scheduler) {
        return new PubSubServerOptions(authenticator, authenticating, heartbeatInterval, maxFrameLength,
                maxSubscriptions, maxPatternLength, maxBufferSize, maxControlFrames,
                Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** @return the credential check (accepts anyone unless one was set) */
    public BiPredicate<String, String> authenticator() {
        return authenticator;
    }

    /** @return whether credentials are checked (an authenticator or credentials were set) */
    public boolean authenticating() {
        return authenticating;
    }

    /** @return the heartbeat interval */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** @return the largest frame body, in bytes */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** @return the most live subscriptions per connection */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** @return the longest pattern, in UTF-8 bytes */
    public int maxPatternLength() {
        return maxPatternLength;
    }

    /** @return the largest buffer of a remote subscription, in messages */
    public int maxBufferSize() {
        return maxBufferSize;
    }

    /** @return the bound of a connection's control frame queue */
    public int maxControlFrames() {
        return maxControlFrames;
    }

    /** @return the scheduler of heartbeat timers */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "PubSubServerOptions[authenticating=" + authenticating + ", heartbeatInterval=" + heartbeatInterval
                + ", maxFrameLength=" + maxFrameLength + ", maxSubscriptions=" + maxSubscriptions
                + ", maxPatternLength=" + maxPatternLength + ", maxBufferSize=" + maxBufferSize
                + ", maxControlFrames=" + maxControlFrames + "]";
    }
}
