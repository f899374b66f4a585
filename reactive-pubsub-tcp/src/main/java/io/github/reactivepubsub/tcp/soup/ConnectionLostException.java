package io.github.reactivepubsub.tcp.soup;

/**
 * The connection to the SoupBinTCP server ended without End of Session ({@code Z}): closed by the peer or the
 * network before a login reply, or in the middle of the stream. A client with a reconnect policy reconnects
 * after it and resumes at the next expected sequence number.
 */
public class ConnectionLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was lost, where, and the next expected sequence number */
    public ConnectionLostException(String message) {
        super(message);
    }

    /**
     * @param message what was lost, where, and the next expected sequence number
     * @param cause the transport failure
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
