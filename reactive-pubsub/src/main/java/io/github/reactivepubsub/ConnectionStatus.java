package io.github.reactivepubsub;

/**
 * The state of a hub's connection, as emitted by {@link Hub#status()} and
 * {@link io.github.reactivepubsub.facade.Channels#status()} (pulsar's {@code StatusType}).
 *
 * <p>An in-process hub is always connected until it closes: it goes {@link #CONNECTED} → {@link #CLOSED}. A remote
 * hub also goes through {@link #CONNECTING}, {@link #DISCONNECTED} and {@link #RECONNECTING} while it loses and
 * re-establishes its connection.
 */
public enum ConnectionStatus {
    /** The first connection attempt is in progress. */
    CONNECTING,
    /** Connected: publishes are delivered and registrations receive events. */
    CONNECTED,
    /** The connection was lost; publishes are rejected until it is re-established. */
    DISCONNECTED,
    /** A reconnection attempt (with back-off) is in progress after a loss. */
    RECONNECTING,
    /** The hub is closed for good; no other status follows. */
    CLOSED
}
