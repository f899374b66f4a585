package io.github.reactivepubsub.session;

/**
 * Nothing arrived from the peer for longer than allowed: a session's remote heartbeat
 * ({@link Session#startHeartbeats}), a TCP session's read idle timeout, or a SoupBinTCP silence timeout. Signalled on
 * the session's {@code inbound()} and {@code onClose()} (or the protocol's stream); the connection is closed.
 */
public class IdleTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which session or peer, how long it was silent and what was expected */
    public IdleTimeoutException(String message) {
        super(message);
    }
}
