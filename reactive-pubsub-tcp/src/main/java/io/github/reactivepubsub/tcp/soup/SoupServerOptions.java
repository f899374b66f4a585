package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable settings of a {@link SoupBinTcpServer}; every setter returns a new instance.
 *
 * <pre>{@code
 * SoupServerOptions options = SoupServerOptions.defaults()
 *         .authenticator(Authenticator.of("ABC", "secret"))
 *         .heartbeatInterval(Duration.ofSeconds(1));
 * }</pre>
 */
public final class SoupServerOptions {

    private static final SoupServerOptions DEFAULTS = new SoupServerOptions(
            Authenticator.rejectAll(),
            Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(15), SoupCodec.MAX_PACKET_LENGTH,
            name -> MessageStore.inMemory(1 << 20), 1024, 4L << 20, Schedulers.parallel());

    private final Authenticator authenticator;
    private final Duration heartbeatInterval;
    private final Duration receiveTimeout;
    private final Duration loginTimeout;
    private final int maxPacketLength;
    private final Function<String, MessageStore> storeFactory;
    private final int unsequencedBufferSize;
    private final long unsequencedBufferBytes;
    private final Scheduler scheduler;

    private SoupServerOptions(Authenticator authenticator, Duration heartbeatInterval, Duration receiveTimeout,
            Duration loginTimeout, int maxPacketLength, Function<String, MessageStore> storeFactory,
            int unsequencedBufferSize, long unsequencedBufferBytes, Scheduler scheduler) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.heartbeatInterval = Checks.positive("heartbeatInterval", heartbeatInterval);
        this.receiveTimeout = Checks.positive("receiveTimeout", receiveTimeout);
        this.loginTimeout = Checks.positive("loginTimeout", loginTimeout);
        this.maxPacketLength = Checks.between("maxPacketLength", maxPacketLength, 1, SoupCodec.MAX_PACKET_LENGTH);
        this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory");
        this.unsequencedBufferSize = Checks.atLeast("unsequencedBufferSize", unsequencedBufferSize, 1);
        this.unsequencedBufferBytes = Checks.atLeast("unsequencedBufferBytes", unsequencedBufferBytes, 1L);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * @return the defaults: an authenticator that rejects every login (set your own), heartbeats after 1 s idle,
     *     15 s receive and login timeouts, {@code maxPacketLength} 65535, in-memory stores of at most 1,048,576
     *     messages and 64 MiB ({@link MessageStore#inMemory(int)}: the oldest are evicted beyond either bound),
     *     an unsequenced buffer of at most 1024 messages and 4 MiB, {@code Schedulers.parallel()}
     */
    public static SoupServerOptions defaults() {
        return DEFAULTS;
    }

    /** @return who decides about logins */
    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * @param authenticator who decides about logins
     * @return a copy with it
     */
    public SoupServerOptions authenticator(Authenticator authenticator) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout, maxPacketLength,
                storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /** @return after how long without sending anything a Server Heartbeat ({@code H}) is sent */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * @param interval positive
     * @return a copy with it
     */
    public SoupServerOptions heartbeatInterval(Duration interval) {
        return new SoupServerOptions(authenticator, interval, receiveTimeout, loginTimeout, maxPacketLength,
                storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /** @return after how long without receiving anything from a logged-in client its connection is closed */
    public Duration receiveTimeout() {
        return receiveTimeout;
    }

    /**
     * @param timeout positive
     * @return a copy with it
     */
    public SoupServerOptions receiveTimeout(Duration timeout) {
        return new SoupServerOptions(authenticator, heartbeatInterval, timeout, loginTimeout, maxPacketLength,
                storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /** @return how long a new connection may take to send its Login Request */
    public Duration loginTimeout() {
        return loginTimeout;
    }

    /**
     * @param timeout positive
     * @return a copy with it
     */
    public SoupServerOptions loginTimeout(Duration timeout) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, timeout, maxPacketLength,
                storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /** @return the largest packet length N accepted from clients */
    public int maxPacketLength() {
        return maxPacketLength;
    }

    /**
     * @param maxPacketLength 1 to 65535
     * @return a copy with it
     */
    public SoupServerOptions maxPacketLength(int maxPacketLength) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /** @return creates the store of a session, by session name, when the session is created */
    public Function<String, MessageStore> storeFactory() {
        return storeFactory;
    }

    /**
     * @param storeFactory creates the store of a session from its name
     * @return a copy with it
     */
    public SoupServerOptions storeFactory(Function<String, MessageStore> storeFactory) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    /**
     * @return how many unsequenced messages are buffered for {@link SoupBinTcpServer#unsequenced()}; see also
     *     {@link #unsequencedBufferBytes()}
     */
    public int unsequencedBufferSize() {
        return unsequencedBufferSize;
    }

    /**
     * @param size the most unsequenced messages that may wait for the subscribers of
     *     {@link SoupBinTcpServer#unsequenced()}; a message beyond it is dropped and counted
     *     ({@link SoupBinTcpServer#droppedUnsequenced()}). At least 1.
     * @return a copy with it
     * @throws IllegalArgumentException when below 1
     */
    public SoupServerOptions unsequencedBufferSize(int size) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, size, unsequencedBufferBytes, scheduler);
    }

    /**
     * @return how many bytes of unsequenced messages are buffered for {@link SoupBinTcpServer#unsequenced()} at most,
     *     each message counting its payload plus 64 bytes
     */
    public long unsequencedBufferBytes() {
        return unsequencedBufferBytes;
    }

    /**
     * Bounds the unsequenced buffer by bytes as {@link #unsequencedBufferSize(int)} bounds it by count: clients
     * choose the size of their messages (up to 65,534 bytes each), so a count alone lets them fill it with
     * {@code size} × 64 KiB. A message that would take the buffered bytes beyond the bound is dropped and counted
     * ({@link SoupBinTcpServer#droppedUnsequenced()}), like one beyond the count; only when nothing is buffered is a
     * message larger than the whole bound still accepted, so that a subscriber keeping up gets every message.
     *
     * @param bytes the most bytes (payloads plus 64 each) that may wait for the subscribers of
     *     {@link SoupBinTcpServer#unsequenced()}; at least 1
     * @return a copy with it
     * @throws IllegalArgumentException when below 1
     */
    public SoupServerOptions unsequencedBufferBytes(long bytes) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, unsequencedBufferSize, bytes, scheduler);
    }

    /** @return the scheduler whose clock and timers drive heartbeats and timeouts */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * @param scheduler drives heartbeats and timeouts (a virtual-time scheduler in tests)
     * @return a copy
     */
    public SoupServerOptions scheduler(Scheduler scheduler) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, unsequencedBufferSize, unsequencedBufferBytes, scheduler);
    }

    @Override
    public String toString() {
        return "SoupServerOptions[heartbeatInterval=" + heartbeatInterval + ", receiveTimeout=" + receiveTimeout
                + ", loginTimeout=" + loginTimeout + ", maxPacketLength=" + maxPacketLength
                + ", unsequencedBufferSize=" + unsequencedBufferSize
                + ", unsequencedBufferBytes=" + unsequencedBufferBytes + "]";
    }
}
