package io.github.reactivepubsub.session;

import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Transport SPI under a {@link Session}: a bidirectional byte stream with backpressure on the receiving side.
 * Implementations: {@link InMemoryConnections#pair()} here, a Reactor Netty adapter in the TCP module.
 *
 * <p>Threading: every method may be called from any thread. Signals of {@link #receive()} are serialized.
 */
public interface DuplexConnection extends Disposable {

    /**
     * The bytes received from the peer, as reads of any size (a read may split or merge the peer's writes).
     *
     * <p>Backpressure: each {@code request(n)} lets the transport take up to {@code n} more reads from the peer;
     * without demand nothing more is taken (for TCP: the socket is no longer read and the peer's writes back up).
     * Each read is a buffer of its own that the transport never writes again once delivered, so a session's decoded
     * messages may keep views of it (a transport that reuses its buffers copies each read out). Completes once the connection is
     * closed and every read taken before the close was delivered; errors when the transport fails.
     *
     * @return a Flux that accepts one subscriber (a second one is signalled an {@link IllegalStateException})
     */
    Flux<ByteBuffer> receive();

    /**
     * Writes each buffer of {@code frames} to the peer, in order, taking the next one only as the transport
     * accepts bytes (the source is requested with backpressure). Concurrent sends are each kept in order, but may
     * interleave buffer by buffer.
     *
     * @param frames buffers to write; each is written from its position to its limit and not modified
     * @return completes once every buffer was accepted by the transport; errors with an
     *     {@link IllegalStateException} when the connection is or becomes closed, or with the source's error
     */
    Mono<Void> send(Publisher<ByteBuffer> frames);

    /**
     * Encodes each message of {@code messages} into a frame with {@code encoder} and writes it to the peer, with
     * the same order, backpressure and result as {@link #send(Publisher)}. A message is encoded when the transport
     * takes it from the source, on the thread that delivers it. An encoder's exception fails the send (that message
     * is not written; the source is cancelled).
     *
     * <p>The default encodes each message into a buffer of its own ({@link FrameEncoder#encode(Object)}) and calls
     * {@link #send(Publisher)}; a transport with buffers of its own overrides it to encode, when the encoder knows a
     * frame's length in advance ({@link FrameEncoder#frameLength(Object)}), straight into them.
     *
     * @param messages the messages to send
     * @param encoder frames each message; thread-safe
     * @param <T> the message type
     * @return completes once every frame was accepted by the transport; errors as {@link #send(Publisher)} does, or
     *     with the encoder's exception
     */
    default <T> Mono<Void> send(Publisher<? extends T> messages, FrameEncoder<? super T> encoder) {
        return send(Flux.from(messages).map(encoder::encode));
    }

    /**
     * @return completes when the connection closed, by {@link #dispose()} on either side or by the transport;
     *     already complete for a closed connection
     */
    Mono<Void> onClose();

    /** Closes the connection, for both peers, at once. Idempotent, never blocks. */
    @Override
    void dispose();

    /**
     * Closes the connection without losing what was sent: a transport whose abrupt close can destroy bytes already
     * accepted (TCP answers a close with unread inbound data by a reset, and the peer's kernel then drops what its
     * application had not read yet) first writes what is pending, tells the peer it sends no more, and closes once
     * the peer closed too, or after a bound of its own. {@link #onClose()} completes once the connection is closed;
     * {@link #dispose()} during a graceful close closes at once. Used by a {@link Session} closed without an error.
     * Idempotent, never blocks.
     *
     * <p>The default closes at once ({@link #dispose()}), for transports whose close loses nothing.
     */
    default void disposeGracefully() {
        dispose();
    }
}
