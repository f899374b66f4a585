package io.github.reactivepubsub.tcp;

/**
 * The reason a TCP session closed when its peer sent nothing for {@link TcpSessionOptions#idleTimeout()} while the
 * session was reading (a half-open connection, or a peer that connected and never spoke). Signalled on the session's
 * {@code inbound()} and {@code onClose()}.
 */
public class IdleTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which session, how long it was silent and what was expected */
    public IdleTimeoutException(String message) {
        super(message);
    }
}
