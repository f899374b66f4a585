package io.github.reactivepubsub.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A bound server that runs a session handler for every accepted connection ({@link TcpSessions#bind}).
 *
 * <p>Thread-safe. {@link #dispose()} never blocks; {@link #disposeNow(Duration)} blocks the caller and must not be
 * called on an event loop or a Reactor non-blocking thread.
 */
public interface TcpSessionServer extends Disposable {

    /** @return the address the server is bound to */
    InetSocketAddress address();

    /** @return the bound port (the actual one when bound to port 0) */
    int port();

    /** @return how many accepted sessions are not closed yet */
    int activeSessions();

    /**
     * Stops accepting connections and starts closing every session
     * ({@link io.github.reactivepubsub.session.Session#initiateClose()}: graceful per the session options). Returns
     * at once; idempotent.
     */
    @Override
    void dispose();

    /**
     * Disposes the server and waits until the listening socket and every session are closed.
     *
     * @param timeout how long to wait at most
     * @throws IllegalStateException when something is still open after {@code timeout}
     */
    void disposeNow(Duration timeout);

    /**
     * {@link #disposeNow(Duration)} with a timeout of 5 seconds.
     *
     * @throws IllegalStateException when something is still open after 5 seconds
     */
    default void disposeNow() {
        disposeNow(Duration.ofSeconds(5));
    }

    /** @return completes once the server was disposed and every session it accepted closed */
    Mono<Void> onDispose();
}
