package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.SessionStats;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Running totals of a SoupBinTCP server or client ({@link SoupBinTcpServer#stats()}, {@link SoupBinTcpClient#stats()}):
 * its connections' packets, bytes, heartbeats and closes ({@link #connections()}), logins, the sequence position and
 * gaps. {@code io.github.reactivepubsub.tcp.micrometer.SoupMetrics} binds them to a Micrometer registry.
 *
 * <p>Always counting: striped counters ({@link LongAdder}), a few nanoseconds per packet. Thread-safe.
 */
public final class SoupStats {

    private static final RejectReason[] REASONS = RejectReason.values();

    private final SessionStats connections = SessionStats.create();
    private final LongAdder loginsAccepted = new LongAdder();
    private final LongAdder[] loginsRejected = new LongAdder[REASONS.length];
    private final LongAdder gaps = new LongAdder();
    private final LongAdder messagesSkipped = new LongAdder();
    private final LongSupplier sequence;

    SoupStats(LongSupplier sequence) {
        this.sequence = sequence;
        for (int i = 0; i < loginsRejected.length; i++) {
            loginsRejected[i] = new LongAdder();
        }
    }

    /**
     * @return the connections' packets ({@code frames}) and bytes each way, heartbeats sent, peers gone silent
     *     ({@code heartbeatsMissed}), closes by reason and open connections
     */
    public SessionStats connections() {
        return connections;
    }

    /** @return logins accepted (a server's answers {@code A}; a client's received {@code A}) */
    public long loginsAccepted() {
        return loginsAccepted.sum();
    }

    /**
     * @param reason a reject reason
     * @return logins rejected for that reason (sent {@code J} on a server; received on a client)
     */
    public long loginsRejected(RejectReason reason) {
        return loginsRejected[reason.ordinal()].sum();
    }

    /**
     * @return a client's gaps: logins accepted at a later sequence number than the one requested (the server no
     *     longer had the messages in between, or the stream was reset); always 0 on a server
     */
    public long gaps() {
        return gaps.sum();
    }

    /** @return the sequence numbers a client's gaps skipped in total; always 0 on a server */
    public long messagesSkipped() {
        return messagesSkipped.sum();
    }

    /**
     * @return the sequence position: on a server, the number the current session's next message will get (0
     *     without a session); on a client, the number of the next message it expects
     */
    public long sequence() {
        return sequence.getAsLong();
    }

    void loginAccepted(long requested, long accepted) {
        loginsAccepted.increment();
        if (requested > 0 && accepted > requested) {
            gaps.increment();
            messagesSkipped.add(accepted - requested);
        }
    }

    void loginRejected(RejectReason reason) {
        loginsRejected[reason.ordinal()].increment();
    }

    /** One packet sent: counted in {@link #connections()}, as a heartbeat too when it is one. */
    void sent(SoupPacket packet, int bytes) {
        connections.recordFrameOut(bytes);
        if (packet == SoupPacket.ServerHeartbeat.INSTANCE || packet == SoupPacket.ClientHeartbeat.INSTANCE) {
            connections.recordHeartbeatSent();
        }
    }

    /** One connection closed: its reason counted, and a missed heartbeat when the peer went silent. */
    void closed(@Nullable Throwable reason) {
        if (reason instanceof IdleTimeoutException) {
            connections.recordHeartbeatMissed();
        }
        connections.recordClosed(reason);
    }

    /**
     * @return {@code connection} counted as one connection: opened when subscribed, closed once when it terminates
     *     or is cancelled (a {@link LoginRejectedException} also counts the rejected login)
     */
    <T> Flux<T> counted(Flux<T> connection) {
        return Flux.defer(() -> {
            AtomicBoolean done = new AtomicBoolean();
            connections.recordOpened();
            return connection
                    .doOnError(error -> {
                        if (error instanceof LoginRejectedException rejected) {
                            loginRejected(rejected.reason());
                        }
                        if (done.compareAndSet(false, true)) {
                            closed(error);
                        }
                    })
                    .doFinally(signal -> {
                        if (done.compareAndSet(false, true)) {
                            closed(null);
                        }
                    });
        });
    }
}
