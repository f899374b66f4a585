package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.SessionOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of sessions over TCP; every setter returns a new instance.
 *
 * <pre>{@code
 * TcpSessionOptions options = TcpSessionOptions.defaults()
 *         .maxFrameLength(1 << 20)
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .sessionOptions(SessionOptions.defaults().drainTimeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class TcpSessionOptions {

    /** Default largest payload length of a frame, in bytes. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 65_535;

    private static final TcpSessionOptions DEFAULTS =
            new TcpSessionOptions(DEFAULT_MAX_FRAME_LENGTH, SessionOptions.defaults(), Duration.ZERO,
                    Duration.ofSeconds(2), null);

    private final int maxFrameLength;
    private final SessionOptions sessionOptions;
    private final Duration idleTimeout;
    private final Duration closeTimeout;
    private final @Nullable Function<? super ProtocolException, byte[]> framingErrorReply;

    private TcpSessionOptions(int maxFrameLength, SessionOptions sessionOptions, Duration idleTimeout,
            Duration closeTimeout, @Nullable Function<? super ProtocolException, byte[]> framingErrorReply) {
        this.maxFrameLength = Checks.notNegative("maxFrameLength", maxFrameLength);
        this.sessionOptions = Objects.requireNonNull(sessionOptions, "sessionOptions");
        this.idleTimeout = Checks.notNegative("idleTimeout", idleTimeout);
        this.closeTimeout = Checks.notNegative("closeTimeout", closeTimeout);
        this.framingErrorReply = framingErrorReply;
    }

    /**
     * @return {@link #DEFAULT_MAX_FRAME_LENGTH}, {@link SessionOptions#defaults()}, no idle timeout, a close
     *     timeout of 2 seconds
     */
    public static TcpSessionOptions defaults() {
        return DEFAULTS;
    }

    /** @return the largest payload length of a frame, in bytes, not counting the 4-byte length field */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * @param maxFrameLength the largest payload length accepted in either direction, in bytes, not counting the
     *     4-byte length field. A peer announcing a longer frame is closed as soon as the length field arrived, with
     *     a {@link io.github.reactivepubsub.ProtocolException}; sending a longer one fails the send with an
     *     {@link IllegalArgumentException} and leaves the session open.
     * @return a copy with this maximum
     * @throws IllegalArgumentException when negative
     */
    public TcpSessionOptions maxFrameLength(int maxFrameLength) {
        return new TcpSessionOptions(maxFrameLength, sessionOptions, idleTimeout, closeTimeout, framingErrorReply);
    }

    /** @return the options of each session (graceful shutdown, drain timeout, scheduler, name prefix) */
    public SessionOptions sessionOptions() {
        return sessionOptions;
    }

    /**
     * @param sessionOptions the options of each session. Its name becomes a prefix: a session is named after the
     *     peer's address ({@code 127.0.0.1:51234}), preceded by the name when it is not the default one
     *     ({@code ouch 127.0.0.1:51234}).
     * @return a copy with these session options
     */
    public TcpSessionOptions sessionOptions(SessionOptions sessionOptions) {
        return new TcpSessionOptions(maxFrameLength, sessionOptions, idleTimeout, closeTimeout, framingErrorReply);
    }

    /** @return how long a connection may stay silent while its session is reading; zero means no limit */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Closes a connection whose peer sent nothing for {@code timeout} while the session was reading, with an
     * {@link IdleTimeoutException}: this ends half-open connections and peers that connect and never speak.
     *
     * <p>Only time during which the socket is read counts: once backpressure pauses reading (the session's consumers
     * have no demand and Reactor Netty's small prefetch is full, so {@code autoRead} is off), the clock is held, and
     * a peer that our own backpressure holds back is never mistaken for a silent one. A session whose consumers
     * never ask for a message never reads, so its peer is never timed out. For protocols with heartbeats, set this
     * above the peer's heartbeat interval.
     *
     * @param timeout the longest silence while reading; {@link Duration#ZERO} (the default) turns the check off
     * @return a copy with this timeout
     * @throws IllegalArgumentException when negative
     */
    public TcpSessionOptions idleTimeout(Duration timeout) {
        return new TcpSessionOptions(maxFrameLength, sessionOptions, timeout, closeTimeout, framingErrorReply);
    }

    /** @return how long a graceful close waits for the peer to close its side; zero means closing at once */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Bounds the graceful close of a session closed without an error ({@code Session.close()}, a handler that
     * completed, a server being disposed). Closing a TCP socket whose peer sent bytes not read yet makes the kernel
     * answer with a reset instead of a FIN, and a reset makes the peer's kernel drop what its application had not
     * read yet: the last messages sent before the close could be lost. So a graceful close writes what is pending,
     * shuts the output down (FIN: the peer reads everything sent, then the end of the stream), keeps reading and
     * discarding whatever still arrives, and closes once the peer closed its side, or once this timeout passed. A
     * peer that already closed, a close for an error (protocol violation, idle or heartbeat timeout, transport
     * failure) and a closed channel close at once. The session's {@code onClose()} signals once the socket closed.
     *
     * @param timeout how long to wait for the peer at most; {@link Duration#ZERO} closes at once (a reset when
     *     unread input is left), the behaviour before graceful closes; default 2 seconds
     * @return a copy with this timeout
     * @throws IllegalArgumentException when negative
     */
    public TcpSessionOptions closeTimeout(Duration timeout) {
        return new TcpSessionOptions(maxFrameLength, sessionOptions, idleTimeout, timeout, framingErrorReply);
    }

    /** @return what is sent before closing a connection for a framing error, or null for nothing */
    public @Nullable Function<? super ProtocolException, byte[]> framingErrorReply() {
        return framingErrorReply;
    }

    /**
     * Sends the peer a last frame before closing its connection for a framing error (a frame length above
     * {@link #maxFrameLength()}): the protocol's error message, so the peer learns why, as it does for every other
     * protocol error. The frame is written and flushed ahead of the close; the close happens once it was written, or
     * after {@link #closeTimeout()} (or at once, when that is zero) if the peer does not read. Nothing else the peer
     * sent after the length field is read.
     *
     * <pre>{@code
     * TcpSessionOptions.defaults().framingErrorReply(e -> errorFrame(e.getMessage()));
     * }</pre>
     *
     * @param reply builds the frame's payload (without the 4-byte length field, which is added) from the error; called
     *     on the connection's event loop; if it throws or returns a payload above {@link #maxFrameLength()}, nothing
     *     is sent
     * @return a copy with this reply
     */
    public TcpSessionOptions framingErrorReply(Function<? super ProtocolException, byte[]> reply) {
        return new TcpSessionOptions(maxFrameLength, sessionOptions, idleTimeout, closeTimeout,
                Objects.requireNonNull(reply, "reply"));
    }

    @Override
    public String toString() {
        return "TcpSessionOptions[maxFrameLength=" + maxFrameLength + ", idleTimeout=" + idleTimeout
                + ", closeTimeout=" + closeTimeout + ", sessionOptions=" + sessionOptions + "]";
    }
}
