package io.github.reactivepubsub.tcp.soup;

/**
 * The server answered a Login Request with Login Rejected ({@code J}). Distinct from a connection error
 * ({@link ConnectionLostException}), so callers can tell a refusal from a network problem; a client never
 * reconnects after it.
 */
public class LoginRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The server's reject reason. */
    private final RejectReason reason;

    /**
     * @param reason the reason code the server sent
     * @param detail who was rejected (username, session, server address)
     */
    public LoginRejectedException(RejectReason reason, String detail) {
        super("login rejected (J " + reason.code() + ": " + describe(reason) + "): " + detail);
        this.reason = reason;
    }

    /** @return the reason code the server sent */
    public RejectReason reason() {
        return reason;
    }

    private static String describe(RejectReason reason) {
        return reason == RejectReason.NOT_AUTHORIZED ? "not authorized" : "session not available";
    }
}
