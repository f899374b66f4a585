package io.github.reactivepubsub.tcp.remote;

import org.jspecify.annotations.Nullable;

/**
 * Why a remote hub connection was refused or closed by its peer: the code of the protocol's ERROR frame
 * ({@code docs/wire-protocol.md}), carried by {@link RemoteHubException#code()}.
 */
public enum ErrorCode {
    /** The client's version range and the server's do not overlap. Fatal for the client: it does not reconnect. */
    UNSUPPORTED_VERSION(1),
    /** The server rejected the credentials of the HELLO frame. Fatal for the client: it does not reconnect. */
    AUTHENTICATION_FAILED(2),
    /** A frame was malformed, unknown, or not allowed at that point (e.g. anything before HELLO). */
    PROTOCOL_ERROR(3),
    /** A SUBSCRIBE would exceed the server's maximum of subscriptions per connection. */
    TOO_MANY_SUBSCRIPTIONS(4),
    /** A SUBSCRIBE's pattern is longer than the server's maximum pattern length. */
    PATTERN_TOO_LONG(5),
    /** A SUBSCRIBE reused the id of a live subscription of the same connection. */
    DUPLICATE_SUBSCRIPTION(6),
    /** The connection fell too far behind the server's topic events (its bounded control queue overflowed). */
    OVERLOADED(7),
    /** A PUBLISH to a key clients may not publish to: the hub's meta topics ({@code Hub.addedSubscriber.*}). */
    FORBIDDEN_KEY(8);

    private final int wireCode;

    ErrorCode(int wireCode) {
        this.wireCode = wireCode;
    }

    /** @return the code's value in an ERROR frame (an unsigned 16-bit integer) */
    public int wireCode() {
        return wireCode;
    }

    /**
     * @param wireCode a code read from an ERROR frame
     * @return the code, or {@code null} when unknown
     */
    public static @Nullable ErrorCode ofWireCode(int wireCode) {
        for (ErrorCode code : values()) {
            if (code.wireCode == wireCode) {
                return code;
            }
        }
        return null;
    }
}
