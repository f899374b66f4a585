package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.wire.FrameFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
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
 * <p>Limits are per connection unless stated; a client that exceeds a protocol limit is sent an ERROR frame naming the
 * limit and closed, and no other connection is affected. Buffers of messages waiting for remote subscribers are
 * bounded by count and by bytes, per subscription, per connection and per broker; the subscription's overflow
 * policy applies at each bound. Thread-safe (immutable).
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
    /** Default bound of the bytes of a connection's queued control frames (16 MiB). */
    public static final long DEFAULT_MAX_CONTROL_BYTES = 16L << 20;
    /** Default most bytes the replay of the topics one connection declared may hold, counted at the largest frame. */
    public static final long DEFAULT_MAX_REPLAY_BYTES = 64L << 20;

    /** Default most bytes of messages waiting for one remote subscription on the broker. */
    public static final long DEFAULT_MAX_BUFFER_BYTES = 4L << 20;
    /** Default most bytes of messages waiting for all subscriptions of one connection on the broker. */
    public static final long DEFAULT_MAX_CONNECTION_BUFFER_BYTES = 16L << 20;
    /** Default most failed logins from one source address within {@link #DEFAULT_LOGIN_FAILURE_WINDOW}. */
    public static final int DEFAULT_MAX_LOGIN_FAILURES = 10;
    /** Default window of the per-address failed login count. */
    public static final Duration DEFAULT_LOGIN_FAILURE_WINDOW = Duration.ofMinutes(1);
    /** Default delay before a failed login is answered. */
    public static final Duration DEFAULT_LOGIN_FAILURE_DELAY = Duration.ofSeconds(1);

    private static final BiPredicate<String, String> ANYONE = (username, password) -> true;
    private static final PubSubServerOptions DEFAULTS = new PubSubServerOptions();

    // Never changed once an instance is returned: every setter changes a fresh copy (see with()).
    private BiPredicate<String, String> authenticator = ANYONE;
    private boolean authenticating;
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
    private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
    private int maxPatternLength = DEFAULT_MAX_PATTERN_LENGTH;
    private int maxBufferSize = DEFAULT_MAX_BUFFER_SIZE;
    private long maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES;
    private long maxConnectionBufferBytes = DEFAULT_MAX_CONNECTION_BUFFER_BYTES;
    /** 0 = a quarter of the JVM's maximum heap, taken when a broker binds. */
    private long maxBrokerBufferBytes;
    private int maxControlFrames = DEFAULT_MAX_CONTROL_FRAMES;
    private long maxControlBytes = DEFAULT_MAX_CONTROL_BYTES;
    private long maxReplayBytes = DEFAULT_MAX_REPLAY_BYTES;
    private int maxLoginFailures = DEFAULT_MAX_LOGIN_FAILURES;
    private Duration loginFailureWindow = DEFAULT_LOGIN_FAILURE_WINDOW;
    private Duration loginFailureDelay = DEFAULT_LOGIN_FAILURE_DELAY;
    private Scheduler scheduler = Schedulers.parallel();

    private PubSubServerOptions() {
    }

    private PubSubServerOptions with(Consumer<PubSubServerOptions> change) {
        PubSubServerOptions copy = new PubSubServerOptions();
        copy.authenticator = authenticator;
        copy.authenticating = authenticating;
        copy.heartbeatInterval = heartbeatInterval;
        copy.maxFrameLength = maxFrameLength;
        copy.maxSubscriptions = maxSubscriptions;
        copy.maxPatternLength = maxPatternLength;
        copy.maxBufferSize = maxBufferSize;
        copy.maxBufferBytes = maxBufferBytes;
        copy.maxConnectionBufferBytes = maxConnectionBufferBytes;
        copy.maxBrokerBufferBytes = maxBrokerBufferBytes;
        copy.maxControlFrames = maxControlFrames;
        copy.maxControlBytes = maxControlBytes;
        copy.maxReplayBytes = maxReplayBytes;
        copy.maxLoginFailures = maxLoginFailures;
        copy.loginFailureWindow = loginFailureWindow;
        copy.loginFailureDelay = loginFailureDelay;
        copy.scheduler = scheduler;
        change.accept(copy);
        return copy;
    }

    /**
     * @return anyone may connect, heartbeats every 5 s, frames up to {@value #DEFAULT_MAX_FRAME_LENGTH} bytes,
     *     {@value #DEFAULT_MAX_SUBSCRIPTIONS} subscriptions per connection, patterns up to
     *     {@value #DEFAULT_MAX_PATTERN_LENGTH} bytes, buffers up to {@value #DEFAULT_MAX_BUFFER_SIZE} messages and
     *     4 MiB per subscription, 16 MiB per connection and a quarter of the heap per broker, control frames up to
     *     {@value #DEFAULT_MAX_CONTROL_FRAMES} and 16 MiB per connection, declared replays up to 64 MiB per
     *     connection (counted at the largest frame), failed logins answered
     *     after 1 s and at most 10 per address and minute, timers on {@code Schedulers.parallel()}
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
        BiPredicate<String, String> checked = Objects.requireNonNull(authenticator, "authenticator");
        return with(o -> {
            o.authenticator = checked;
            o.authenticating = true;
        });
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
        return with(o -> o.heartbeatInterval = interval);
    }

    /**
     * @param bytes the largest frame body accepted (and sent), not counting the 4-byte length prefix. A client
     *     announcing a longer frame gets ERROR {@link ErrorCode#PROTOCOL_ERROR} naming both lengths as soon as the
     *     length arrived, before its body is buffered, and is closed once that ERROR was written (or after a short
     *     timeout when the client does not read); the reason is logged. At least 64.
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 64
     */
    public PubSubServerOptions maxFrameLength(int bytes) {
        Checks.atLeast("maxFrameLength", bytes, 64);
        return with(o -> o.maxFrameLength = bytes);
    }

    /**
     * @param count the most live subscriptions of one connection; one more is answered with ERROR
     *     {@link ErrorCode#TOO_MANY_SUBSCRIPTIONS} and the connection is closed. At least 1.
     * @return a copy with this limit
     * @throws IllegalArgumentException when below 1
     */
    public PubSubServerOptions maxSubscriptions(int count) {
        Checks.atLeast("maxSubscriptions", count, 1);
        return with(o -> o.maxSubscriptions = count);
    }

    /**
     * @param bytes the longest pattern of a SUBSCRIBE, in UTF-8 bytes; a longer one is answered with ERROR
     *     {@link ErrorCode#PATTERN_TOO_LONG} and the connection is closed. Between 1 and 65535.
     * @return a copy with this limit
     * @throws IllegalArgumentException when out of range
     */
    public PubSubServerOptions maxPatternLength(int bytes) {
        Checks.between("maxPatternLength", bytes, 1, FrameFields.MAX_STRING);
        return with(o -> o.maxPatternLength = bytes);
    }

    /**
     * @param messages the most messages that may wait on the broker for one remote subscription: a SUBSCRIBE asking
     *     for a larger buffer is given this many (bytes are bounded too: {@link #maxBufferBytes(long)}). At least 1.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1
     */
    public PubSubServerOptions maxBufferSize(int messages) {
        Checks.atLeast("maxBufferSize", messages, 1);
        return with(o -> o.maxBufferSize = messages);
    }

    /**
     * @param bytes the most bytes of messages (encoded, key included) that may wait on the broker for one remote
     *     subscription, its client not granting credit or its socket not taking them. A message that would exceed
     *     it (or {@link #maxBufferSize(int)}, or the connection's or the broker's byte bound) is handled by the
     *     subscription's overflow policy: ERROR ends the subscription (SUBSCRIPTION_END OVERFLOW), DROP_OLDEST drops
     *     waiting messages to make room, DROP_LATEST drops the new one. At least 1024.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1024
     */
    public PubSubServerOptions maxBufferBytes(long bytes) {
        Checks.atLeast("maxBufferBytes", bytes, 1024L);
        return with(o -> o.maxBufferBytes = bytes);
    }

    /**
     * @param bytes the most bytes of messages waiting on the broker for all subscriptions of one connection
     *     together (their buffers and the connection's outbound merge); past it, the overflow policy of the
     *     subscription receiving a message applies. Keeps one connection from taking the whole broker's budget. At
     *     least 1024.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1024
     */
    public PubSubServerOptions maxConnectionBufferBytes(long bytes) {
        Checks.atLeast("maxConnectionBufferBytes", bytes, 1024L);
        return with(o -> o.maxConnectionBufferBytes = bytes);
    }

    /**
     * @param bytes the most bytes of messages waiting on the broker for all connections together; past it, the
     *     overflow policy of the subscription receiving a message applies (a WARN names the bound). Default: a
     *     quarter of the JVM's maximum heap when the broker binds. At least 1024.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1024
     */
    public PubSubServerOptions maxBrokerBufferBytes(long bytes) {
        Checks.atLeast("maxBrokerBufferBytes", bytes, 1024L);
        return with(o -> o.maxBrokerBufferBytes = bytes);
    }

    /**
     * Throttles password guessing. Every failed login (wrong credentials) is answered, with ERROR
     * {@link ErrorCode#AUTHENTICATION_FAILED}, only after {@code delay}, so one connection cannot try quickly. The
     * broker counts failed logins per source address (IP, without port) in windows of {@code window}: once an
     * address failed {@code maxFailures} times in the current window, its next logins are refused without checking
     * the credentials (ERROR AUTHENTICATION_FAILED saying so, after the same delay) until the window ends. At most
     * {@value LoginThrottle#MAX_ADDRESSES} addresses are tracked (the least recently failing one is forgotten
     * first), so the state stays bounded whatever the number of attackers. Times are read from
     * {@link #scheduler(Scheduler)}.
     *
     * @param maxFailures failed logins allowed per address and window, at least 1
     * @param window the length of a counting window, positive
     * @param delay how long a failed login waits for its answer, zero or more (at most the window)
     * @return a copy with this throttle
     * @throws IllegalArgumentException when out of range
     */
    public PubSubServerOptions loginThrottle(int maxFailures, Duration window, Duration delay) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || delay.isNegative()
                || delay.compareTo(window) > 0) {
            throw new IllegalArgumentException("loginThrottle needs maxFailures >= 1, a positive window and a delay "
                    + "between 0 and the window; was " + maxFailures + ", " + window + ", " + delay);
        }
        return with(o -> {
            o.maxLoginFailures = maxFailures;
            o.loginFailureWindow = window;
            o.loginFailureDelay = delay;
        });
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
        Checks.atLeast("maxControlFrames", frames, 16);
        return with(o -> o.maxControlFrames = frames);
    }

    /**
     * @param bytes the most bytes (whole frames) of a connection's queued control frames: its topic snapshot,
     *     topic events, subscription ends and declaration refusals, which wait while the client does not read.
     *     Past it, as past {@link #maxControlFrames(int)}, the client is sent ERROR {@link ErrorCode#OVERLOADED}
     *     and closed. Keeps clients that churn subscriptions with long patterns (each one an event for every
     *     connection) from filling slow connections' queues. At least 64 KiB.
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 65536
     */
    public PubSubServerOptions maxControlBytes(long bytes) {
        Checks.atLeast("maxControlBytes", bytes, 65_536L);
        return with(o -> o.maxControlBytes = bytes);
    }

    /**
     * Bounds what the topics a client declares (protocol version 2, {@code declare(key, replay(n))}) may hold.
     * Each declaration is counted, while it lives, at {@code replay ×} {@link #maxFrameLength()} bytes: the most its
     * replay history can hold of what remote clients publish. A declaration that would take a connection past this
     * bound, or the broker past {@link #maxBrokerBufferBytes(long)} (shared with the subscriptions' buffers), is
     * refused (DECLARATION_REFUSED naming the bound); the connection stays open.
     *
     * @param bytes the most bytes counted for the live declarations of one connection; at least 1024
     * @return a copy with this bound
     * @throws IllegalArgumentException when below 1024
     */
    public PubSubServerOptions maxReplayBytes(long bytes) {
        Checks.atLeast("maxReplayBytes", bytes, 1024L);
        return with(o -> o.maxReplayBytes = bytes);
    }

    /**
     * @param scheduler the clock and thread of heartbeat timers and login delays (a {@code VirtualTimeScheduler} in
     *     tests), and the thread of the drop reports of version 2 connections (DROPPED frames): the drops a
     *     subscription makes until its report task runs are one frame, so a scheduler that runs a task at once (a
     *     {@code VirtualTimeScheduler}) sends a frame per drop that finds nothing after it
     * @return a copy with this scheduler
     */
    public PubSubServerOptions scheduler(Scheduler scheduler) {
        Scheduler checked = Objects.requireNonNull(scheduler, "scheduler");
        return with(o -> o.scheduler = checked);
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

    /** @return the most bytes waiting for one remote subscription */
    public long maxBufferBytes() {
        return maxBufferBytes;
    }

    /** @return the most bytes waiting for one connection's subscriptions */
    public long maxConnectionBufferBytes() {
        return maxConnectionBufferBytes;
    }

    /** @return the most bytes waiting for all connections: the set bound, or a quarter of the maximum heap */
    public long maxBrokerBufferBytes() {
        return maxBrokerBufferBytes > 0 ? maxBrokerBufferBytes : Runtime.getRuntime().maxMemory() / 4;
    }

    /** @return failed logins allowed per source address and window */
    public int maxLoginFailures() {
        return maxLoginFailures;
    }

    /** @return the window of the per-address failed login count */
    public Duration loginFailureWindow() {
        return loginFailureWindow;
    }

    /** @return how long a failed login waits for its answer */
    public Duration loginFailureDelay() {
        return loginFailureDelay;
    }

    /** @return the bound of a connection's control frame queue */
    public int maxControlFrames() {
        return maxControlFrames;
    }

    /** @return the bound of the bytes of a connection's queued control frames */
    public long maxControlBytes() {
        return maxControlBytes;
    }

    /** @return the most bytes counted for the replays one connection declared */
    public long maxReplayBytes() {
        return maxReplayBytes;
    }

    /** @return the scheduler of heartbeat timers, login delays and drop reports */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "PubSubServerOptions[authenticating=" + authenticating + ", heartbeatInterval=" + heartbeatInterval
                + ", maxFrameLength=" + maxFrameLength + ", maxSubscriptions=" + maxSubscriptions
                + ", maxPatternLength=" + maxPatternLength + ", maxBufferSize=" + maxBufferSize
                + ", maxBufferBytes=" + maxBufferBytes + ", maxConnectionBufferBytes=" + maxConnectionBufferBytes
                + ", maxBrokerBufferBytes=" + maxBrokerBufferBytes() + ", maxControlFrames=" + maxControlFrames
                + ", maxControlBytes=" + maxControlBytes + ", maxReplayBytes=" + maxReplayBytes
                + ", loginThrottle=" + maxLoginFailures + "/" + loginFailureWindow + " after " + loginFailureDelay
                + "]";
    }
}
