package io.github.reactivepubsub.session;

/**
 * The reason a session closed when nothing was received from the peer for the tolerated silence of its remote
 * heartbeat ({@code Session.startHeartbeats}). Signalled on {@code inbound()} and {@code onClose()}.
 */
public class HeartbeatTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which session, how long it was silent and what was expected */
    public HeartbeatTimeoutException(String message) {
        super(message);
    }
}
