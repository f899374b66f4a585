package io.github.reactivepubsub.session;

/**
 * An operation that the session's current state does not allow: pulling while {@code inbound()} is dispatching,
 * a second {@code inbound()} subscriber, sending on a closing or closed session.
 */
public class SessionStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** @param message what was attempted, in which state, and what was expected */
    public SessionStateException(String message) {
        super(message);
    }
}
