package io.github.reactivepubsub.session;

import org.jspecify.annotations.Nullable;

/**
 * Signalled to a pull ({@code receive()} / {@code receiveNow()}) once the session is closed and every message it
 * kept has been delivered: no further message will ever come. Never signalled for a pull that was merely cancelled
 * or timed out while the session was open.
 */
public class EndOfQueueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which session ended
     * @param cause why the session closed, or {@code null} for an orderly close
     */
    public EndOfQueueException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
