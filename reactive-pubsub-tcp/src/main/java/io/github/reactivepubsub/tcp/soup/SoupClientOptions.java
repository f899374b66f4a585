package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Immutable settings of a {@link SoupBinTcpClient}; every setter returns a new instance.
 *
 * <pre>{@code
 * SoupClientOptions options = SoupClientOptions.defaults()
 *         .reconnect(Retry.backoff(10, Duration.ofMillis(100)));
 * }</pre>
 */
public final class SoupClientOptions {

    private static final SoupClientOptions DEFAULTS = new SoupClientOptions(Duration.ofSeconds(1),
            Duration.ofSeconds(15), Duration.ofSeconds(15), SoupCodec.MAX_PACKET_LENGTH, 256, null,
            Schedulers.parallel());

    private final Duration heartbeatInterval;
    private final Duration receiveTimeout;
    private final Duration loginTimeout;
    private final int maxPacketLength;
    private final int sendQueueSize;
    private final @Nullable Retry reconnect;
    private final Scheduler scheduler;

    private SoupClientOptions(Duration heartbeatInterval, Duration receiveTimeout, Duration loginTimeout,
            int maxPacketLength, int sendQueueSize, @Nullable Retry reconnect, Scheduler scheduler) {
        this.heartbeatInterval = Checks.positive("heartbeatInterval", heartbeatInterval);
        this.receiveTimeout = Checks.positive("receiveTimeout", receiveTimeout);
        this.loginTimeout = Checks.positive("loginTimeout", loginTimeout);
        this.maxPacketLength = Checks.between("maxPacketLength", maxPacketLength, 1, SoupCodec.MAX_PACKET_LENGTH);
        this.sendQueueSize = Checks.atLeast("sendQueueSize", sendQueueSize, 1);
        this.reconnect = reconnect;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * @return the defaults: Client Heartbeat after 1 s idle, 15 s receive and login timeouts, {@code maxPacketLength}
     *     65535, 256 queued outgoing packets, no reconnect, {@code Schedulers.parallel()}
     */
    public static SoupClientOptions defaults() {
        return DEFAULTS;
    }

    /** @return after how long without sending anything a Client Heartbeat ({@code R}) is sent */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * @param interval positive
     * @return a copy with it
     */
    public SoupClientOptions heartbeatInterval(Duration interval) {
        return new SoupClientOptions(interval, receiveTimeout, loginTimeout, maxPacketLength, sendQueueSize, reconnect,
                scheduler);
    }

    /** @return after how long without receiving anything after login the connection is considered dead */
    public Duration receiveTimeout() {
        return receiveTimeout;
    }

    /**
     * @param timeout positive
     * @return a copy with it
     */
    public SoupClientOptions receiveTimeout(Duration timeout) {
        return new SoupClientOptions(heartbeatInterval, timeout, loginTimeout, maxPacketLength, sendQueueSize,
                reconnect, scheduler);
    }

    /** @return how long to wait for Login Accepted / Rejected after connecting */
    public Duration loginTimeout() {
        return loginTimeout;
    }

    /**
     * @param timeout positive
     * @return a copy with it
     */
    public SoupClientOptions loginTimeout(Duration timeout) {
        return new SoupClientOptions(heartbeatInterval, receiveTimeout, timeout, maxPacketLength, sendQueueSize,
                reconnect, scheduler);
    }

    /** @return the largest packet length N accepted from the server */
    public int maxPacketLength() {
        return maxPacketLength;
    }

    /**
     * @param maxPacketLength 1 to 65535
     * @return a copy with it
     */
    public SoupClientOptions maxPacketLength(int maxPacketLength) {
        return new SoupClientOptions(heartbeatInterval, receiveTimeout, loginTimeout, maxPacketLength,
                sendQueueSize, reconnect, scheduler);
    }

    /** @return how many outgoing packets may wait for the socket before {@code send} fails */
    public int sendQueueSize() {
        return sendQueueSize;
    }

    /**
     * @param size at least 1
     * @return a copy with it
     */
    public SoupClientOptions sendQueueSize(int size) {
        return new SoupClientOptions(heartbeatInterval, receiveTimeout, loginTimeout, maxPacketLength, size,
                reconnect, scheduler);
    }

    /** @return the reconnect policy, or {@code null} for none */
    public @Nullable Retry reconnect() {
        return reconnect;
    }

    /**
     * @param reconnect when a connection is lost (not after a rejection, End of Session, logout or protocol
     *     error), how to retry: each retry logs in again at the next expected sequence number
     * @return a copy with it
     */
    public SoupClientOptions reconnect(Retry reconnect) {
        return new SoupClientOptions(heartbeatInterval, receiveTimeout, loginTimeout, maxPacketLength,
                sendQueueSize, Objects.requireNonNull(reconnect, "reconnect"), scheduler);
    }

    /** @return the scheduler whose clock and timers drive heartbeats and timeouts */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * @param scheduler drives heartbeats and timeouts (a virtual-time scheduler in tests)
     * @return a copy
     */
    public SoupClientOptions scheduler(Scheduler scheduler) {
        return new SoupClientOptions(heartbeatInterval, receiveTimeout, loginTimeout, maxPacketLength,
                sendQueueSize, reconnect, scheduler);
    }

    @Override
    public String toString() {
        return "SoupClientOptions[heartbeatInterval=" + heartbeatInterval + ", receiveTimeout=" + receiveTimeout
                + ", loginTimeout=" + loginTimeout + ", maxPacketLength=" + maxPacketLength + ", reconnect="
                + (reconnect != null) + "]";
    }
}
