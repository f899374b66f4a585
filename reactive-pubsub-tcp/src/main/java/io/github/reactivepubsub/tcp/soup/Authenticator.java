package io.github.reactivepubsub.tcp.soup;

/**
 * Decides whether a SoupBinTCP login is accepted. The server asks it once per Login Request, before it checks that
 * the session exists and the requested sequence number is still available (which it rejects with
 * {@link RejectReason#SESSION_NOT_AVAILABLE} itself).
 *
 * <p>Threading: called on the connection's event loop, possibly from many connections at once; it must be
 * thread-safe and must not block. An exception it throws is logged and the login rejected as
 * {@link RejectReason#NOT_AUTHORIZED}.
 *
 * <pre>{@code
 * Authenticator auth = (credentials, session) -> credentials.username().equals("ABC")
 *         ? LoginDecision.accept() : LoginDecision.reject(RejectReason.NOT_AUTHORIZED);
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param credentials the username and password of the Login Request
     * @param requestedSession the session requested, already resolved: a blank request names the server's
     *     current session
     * @return accept, or reject with a reason
     */
    LoginDecision authenticate(Credentials credentials, String requestedSession);

    /**
     * @param username the only username accepted
     * @param password its password
     * @return an authenticator accepting exactly this pair, for any session, and rejecting anything else as
     *     {@link RejectReason#NOT_AUTHORIZED}
     */
    static Authenticator of(String username, String password) {
        Credentials expected = new Credentials(username, password);
        return (credentials, session) -> credentials.matches(expected.username(), expected.password())
                ? LoginDecision.accept() : LoginDecision.reject(RejectReason.NOT_AUTHORIZED);
    }

    /** @return an authenticator that accepts every login (tests and demos only) */
    static Authenticator acceptAll() {
        return (credentials, session) -> LoginDecision.accept();
    }

}
