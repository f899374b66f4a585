package io.github.reactivepubsub.tcp.remote;

/**
 * A remote hub connection was refused or closed by its peer with an ERROR frame: the {@link #code()} says why, the
 * message repeats the peer's reason and names the connection.
 *
 * <p>Signalled by {@link RemoteHub#connected()} and to the subscribers of a {@link RemoteHub} that closed for a fatal
 * reason ({@link ErrorCode#AUTHENTICATION_FAILED}, {@link ErrorCode#UNSUPPORTED_VERSION}); other codes make the client
 * reconnect.
 */
public class RemoteHubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The broker's error code. */
    private final ErrorCode code;

    /**
     * @param code why
     * @param message the peer's reason and the connection
     */
    public RemoteHubException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** @return why the connection was refused or closed */
    public ErrorCode code() {
        return code;
    }
}
