package io.github.reactivepubsub.tcp.soup;

import java.util.Optional;

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
 * Authenticator auth = login -> login.username().equals("ABC") && login.password().equals("secret")
 *         ? Optional.empty() : Optional.of(RejectReason.NOT_AUTHORIZED);
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param login the Login Request: username, password, the requested session already resolved (a blank request
     *     names the server's current session) and the requested sequence number
     * @return empty to accept, or why the login is rejected
     */
    Optional<RejectReason> authenticate(SoupLogin login);

    /**
     * @param username the only username accepted
     * @param password its password
     * @return an authenticator accepting exactly this pair, for any session, and rejecting anything else as
     *     {@link RejectReason#NOT_AUTHORIZED}
     */
    static Authenticator of(String username, String password) {
        SoupLogin expected = new SoupLogin(username, password, "", 0); // validates the widths and characters
        return login -> login.username().equals(expected.username()) && login.password().equals(expected.password())
                ? Optional.empty() : Optional.of(RejectReason.NOT_AUTHORIZED);
    }

    /** @return an authenticator that accepts every login (tests and demos only) */
    static Authenticator acceptAll() {
        return login -> Optional.empty();
    }

    /** @return an authenticator that rejects every login as {@link RejectReason#NOT_AUTHORIZED} (the default) */
    static Authenticator rejectAll() {
        return login -> Optional.of(RejectReason.NOT_AUTHORIZED);
    }
}
