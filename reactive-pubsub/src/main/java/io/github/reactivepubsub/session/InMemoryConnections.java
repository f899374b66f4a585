package io.github.reactivepubsub.session;

import reactor.core.publisher.Sinks;

/**
 * Connected pairs of in-memory {@link DuplexConnection}s, to run sessions without sockets (tests, benchmarks,
 * in-process peers).
 *
 * <p>Each direction is a pipe holding at most {@code capacity} written buffers, like a socket's buffer: a send
 * takes the next buffer from its source only when the pipe has room, and the receiver takes buffers only on
 * demand, so a receiver without demand leaves the peer's bytes in the pipe and, once it is full, stops the peer's
 * sends. Buffers are handed over without copying; a writer must not modify a buffer after sending it.
 *
 * <pre>{@code
 * InMemoryConnections.Pair pair = InMemoryConnections.pair();
 * Session<byte[], byte[]> client = Session.create(pair.client(), decoder, encoder);
 * Session<byte[], byte[]> server = Session.create(pair.server(), decoder, encoder);
 * }</pre>
 */
public final class InMemoryConnections {

    /** Default number of buffers a pipe holds before a send waits. */
    public static final int DEFAULT_CAPACITY = 256;

    private InMemoryConnections() {
    }

    /**
     * The two ends of one in-memory connection: what one end sends, the other receives.
     *
     * @param client one end
     * @param server the other end
     */
    public record Pair(DuplexConnection client, DuplexConnection server) {
    }

    /** @return a connected pair whose pipes hold {@link #DEFAULT_CAPACITY} buffers each */
    public static Pair pair() {
        return pair(DEFAULT_CAPACITY);
    }

    /**
     * @param capacity how many written buffers each direction holds before a send waits for the receiver
     * @return a connected pair
     * @throws IllegalArgumentException when {@code capacity < 1}
     */
    public static Pair pair(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1 buffer, was " + capacity);
        }
        InMemoryPipe toServer = new InMemoryPipe("client->server", capacity);
        InMemoryPipe toClient = new InMemoryPipe("server->client", capacity);
        Sinks.Empty<Void> closed = Sinks.empty();
        return new Pair(new InMemoryConnection(toClient, toServer, closed),
                new InMemoryConnection(toServer, toClient, closed));
    }
}
