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
            name -> MessageStore.inMemory(1 << 20), 1024, Schedulers.parallel());

    private final Authenticator authenticator;
    private final Duration heartbeatInterval;
    private final Duration receiveTimeout;
    private final Duration loginTimeout;
    private final int maxPacketLength;
    private final Function<String, MessageStore> storeFactory;
    private final int unsequencedBufferSize;
    private final Scheduler scheduler;

    private SoupServerOptions(Authenticator authenticator, Duration heartbeatInterval, Duration receiveTimeout,
            Duration loginTimeout, int maxPacketLength, Function<String, MessageStore> storeFactory,
            int unsequencedBufferSize, Scheduler scheduler) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.heartbeatInterval = Checks.positive("heartbeatInterval", heartbeatInterval);
        this.receiveTimeout = Checks.positive("receiveTimeout", receiveTimeout);
        this.loginTimeout = Checks.positive("loginTimeout", loginTimeout);
        this.maxPacketLength = Checks.between("maxPacketLength", maxPacketLength, 1, SoupCodec.MAX_PACKET_LENGTH);
        this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory");
        this.unsequencedBufferSize = Checks.atLeast("unsequencedBufferSize", unsequencedBufferSize, 1);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * @return the defaults: an authenticator that rejects every login (set your own), heartbeats after 1 s idle,
     *     15 s receive and login timeouts, {@code maxPacketLength} 65535, in-memory stores of at most 1,048,576
     *     messages and 64 MiB ({@link MessageStore#inMemory(int)}: the oldest are evicted beyond either bound),
     *     a 1024-message unsequenced buffer, {@code Schedulers.parallel()}
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
                storeFactory, unsequencedBufferSize, scheduler);
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
                storeFactory, unsequencedBufferSize, scheduler);
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
                storeFactory, unsequencedBufferSize, scheduler);
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
                storeFactory, unsequencedBufferSize, scheduler);
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
                maxPacketLength, storeFactory, unsequencedBufferSize, scheduler);
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
                maxPacketLength, storeFactory, unsequencedBufferSize, scheduler);
    }

    /** @return how many unsequenced messages are buffered for {@link SoupBinTcpServer#unsequenced()} */
    public int unsequencedBufferSize() {
        return unsequencedBufferSize;
    }

    /**
     * @param size at least 1
     * @return a copy with it
     */
    public SoupServerOptions unsequencedBufferSize(int size) {
        return new SoupServerOptions(authenticator, heartbeatInterval, receiveTimeout, loginTimeout,
                maxPacketLength, storeFactory, size, scheduler);
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
                maxPacketLength, storeFactory, unsequencedBufferSize, scheduler);
    }

    @Override
    public String toString() {
        return "SoupServerOptions[heartbeatInterval=" + heartbeatInterval + ", receiveTimeout=" + receiveTimeout
                + ", loginTimeout=" + loginTimeout + ", maxPacketLength=" + maxPacketLength
                + ", unsequencedBufferSize=" + unsequencedBufferSize + "]";
    }
}
