package io.github.reactivepubsub.session;

import io.github.reactivepubsub.ProtocolException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Running totals of any number of sessions or connections that share it (all the connections of a server, of a
 * remote hub, of a SoupBinTCP client): frames and bytes each way, heartbeats, closes by reason, and how many are
 * open. {@code io.github.reactivepubsub.micrometer.SessionMetrics} binds them to a Micrometer registry.
 *
 * <pre>{@code
 * SessionStats stats = SessionStats.create();
 * TcpSessionOptions options = TcpSessionOptions.defaults()
 *         .sessionOptions(SessionOptions.defaults().stats(stats));   // every session of the server counts here
 * ...
 * long timedOut = stats.closes(SessionStats.CloseReason.TIMEOUT);
 * }</pre>
 *
 * <p>The {@code record...} methods are called by the transports (a {@link Session} records through its
 * {@link SessionOptions#stats(SessionStats)}; the SoupBinTCP connections and the remote hub record into theirs);
 * a transport of your own may call them too. Bytes are the transport's frames as they pass through the session's
 * framing (length fields included), not TCP or TLS overhead.
 *
 * <p>Thread-safe and cheap to record into from many threads at once: every figure is a striped counter
 * ({@link LongAdder}).
 */
public final class SessionStats {

    /** Why a session or connection closed, as counted by {@link #closes(CloseReason)}. */
    public enum CloseReason {
        /** Closed without an error, by either side (including a logout or the end of a stream). */
        NORMAL,
        /** The peer stayed silent too long: a missed heartbeat, or an idle or login timeout. */
        TIMEOUT,
        /** The peer broke the protocol: a malformed or oversized frame, an unexpected message. */
        PROTOCOL_ERROR,
        /** Any other error: the connection failed or was reset, a local failure. */
        ERROR;

        /**
         * @param reason what closed the session ({@code null}: no error)
         * @return its category: {@link #TIMEOUT} for an {@link IdleTimeoutException} (a silent peer) or a
         *     {@link TimeoutException}, {@link #PROTOCOL_ERROR} for a {@link ProtocolException}, else
         *     {@link #ERROR}
         */
        public static CloseReason of(@Nullable Throwable reason) {
            if (reason == null) {
                return NORMAL;
            }
            if (reason instanceof IdleTimeoutException || reason instanceof TimeoutException) {
                return TIMEOUT;
            }
            return reason instanceof ProtocolException ? PROTOCOL_ERROR : ERROR;
        }
    }

    private static final CloseReason[] REASONS = CloseReason.values();

    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder heartbeatsSent = new LongAdder();
    private final LongAdder heartbeatsMissed = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder[] closes = new LongAdder[REASONS.length];

    private SessionStats() {
        for (int i = 0; i < closes.length; i++) {
            closes[i] = new LongAdder();
        }
    }

    /** @return new stats, all zero */
    public static SessionStats create() {
        return new SessionStats();
    }

    /** A session or connection opened. */
    public void recordOpened() {
        opened.increment();
    }

    /**
     * A session or connection closed (record it once per {@link #recordOpened()}).
     *
     * @param reason what closed it, {@code null} when no error did; see {@link CloseReason#of(Throwable)}
     */
    public void recordClosed(@Nullable Throwable reason) {
        closes[CloseReason.of(reason).ordinal()].increment();
    }

    /**
     * One whole frame or message arrived.
     *
     * @param bytes its size; 0 when the bytes are counted separately with {@link #recordBytesIn(int)}
     */
    public void recordFrameIn(int bytes) {
        framesIn.increment();
        if (bytes != 0) {
            bytesIn.add(bytes);
        }
    }

    /** @param bytes bytes read, counted apart from frames (a read may hold part of a frame or several) */
    public void recordBytesIn(int bytes) {
        bytesIn.add(bytes);
    }

    /** @param bytes the size of one whole frame sent (or queued for sending) */
    public void recordFrameOut(int bytes) {
        framesOut.increment();
        bytesOut.add(bytes);
    }

    /** A heartbeat was sent because nothing else was sent for the heartbeat interval. */
    public void recordHeartbeatSent() {
        heartbeatsSent.increment();
    }

    /** The peer's heartbeats stopped: nothing arrived within the tolerated silence (the session then closes). */
    public void recordHeartbeatMissed() {
        heartbeatsMissed.increment();
    }

    /** @return frames (messages) received */
    public long framesIn() {
        return framesIn.sum();
    }

    /** @return frames (messages) sent */
    public long framesOut() {
        return framesOut.sum();
    }

    /** @return bytes received */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** @return bytes sent */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** @return heartbeats sent */
    public long heartbeatsSent() {
        return heartbeatsSent.sum();
    }

    /** @return times the peer's heartbeats were missed */
    public long heartbeatsMissed() {
        return heartbeatsMissed.sum();
    }

    /** @return sessions or connections opened */
    public long opened() {
        return opened.sum();
    }

    /**
     * @param reason a close reason
     * @return sessions or connections closed for that reason
     */
    public long closes(CloseReason reason) {
        return closes[reason.ordinal()].sum();
    }

    /** @return sessions or connections open now: opened minus closed (never negative) */
    public long open() {
        long closed = 0;
        for (LongAdder c : closes) {
            closed += c.sum();
        }
        return Math.max(0, opened.sum() - closed);
    }

    @Override
    public String toString() {
        return "SessionStats[open=" + open() + ", framesIn=" + framesIn() + ", framesOut=" + framesOut()
                + ", bytesIn=" + bytesIn() + ", bytesOut=" + bytesOut() + "]";
    }
}
