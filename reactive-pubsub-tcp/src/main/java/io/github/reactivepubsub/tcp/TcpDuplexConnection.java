package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.DuplexConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

/**
 * The {@link DuplexConnection} SPI over one Reactor Netty {@link Connection} whose pipeline holds the handlers of
 * {@link TcpPipeline}: each read is one whole length-prefixed frame.
 *
 * <p><b>Reading is driven by demand.</b> {@link #receive()} is Reactor Netty's inbound {@code Flux}, which keeps the
 * channel's {@code autoRead} off while its subscriber has no demand: the socket is then not read, the kernel's
 * receive buffer fills, TCP's window closes and the peer's writes back up. Reactor Netty prefetches a little (it
 * keeps reading until 32 frames wait, and a socket read already under way completes), so a stalled subscriber holds
 * at most about 32 frames plus one socket read.
 *
 * <p><b>ByteBuf ownership: copy, then Reactor Netty releases.</b> Each inbound frame (a retained slice made by the
 * frame decoder) is copied into a new heap {@link ByteBuffer} inside {@code onNext}; Reactor Netty releases the
 * {@code ByteBuf} as soon as {@code onNext} returns, and releases the frames it still holds when the subscriber
 * cancels or the channel closes. No {@code ByteBuf} escapes this class, so a session may keep a read for as long as
 * it likes and no path (cancel, error, close, a read racing a close) can leak. The copy costs one heap allocation
 * per frame, bounded by {@code maxFrameLength}; retaining the slice until the next request would save it but tie
 * buffer lifetimes to the session's drain loop.
 *
 * <p><b>Writing.</b> Each outbound {@link ByteBuffer} (one whole frame from the session's encoder) is wrapped without
 * a copy and written by Reactor Netty, which takes the next buffer from the source only while the channel is
 * writable; the wrapped buffers are released by Netty once written, or by Reactor Netty when a send is cancelled or
 * fails.
 *
 * <p>Thread-safe: every method may be called from any thread; Netty runs the I/O on the channel's event loop.
 */
final class TcpDuplexConnection implements DuplexConnection {

    /** The channel itself: Reactor Netty swaps the Connection's channel for a placeholder once it terminated. */
    private final Channel channel;
    private final NettyInbound inbound;
    private final NettyOutbound outbound;
    private final String peer;
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    TcpDuplexConnection(Connection connection, String peer) {
        this.channel = connection.channel();
        this.inbound = connection.inbound();
        this.outbound = connection.outbound();
        this.peer = peer;
        // Runs once, on the event loop (or at once if already closed): the only emitter of the sink.
        channel.closeFuture().addListener(future -> {
            Throwable failure = TcpPipeline.failure(channel);
            if (failure == null) {
                closed.tryEmitEmpty();
            } else {
                closed.tryEmitError(failure);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each read is one whole frame, length field included. Completes when the channel closed (after the frames
     * received before); errors with the reason when a handler of this module closed it
     * ({@link io.github.reactivepubsub.codec.ProtocolException} for a frame over the maximum,
     * {@link IdleTimeoutException}), or with Reactor Netty's error for a transport failure.
     */
    @Override
    public Flux<ByteBuffer> receive() {
        return Flux.defer(() -> {
            if (!receiving.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("tcp connection " + peer
                        + " accepts one receive() subscriber; expected a single reader"));
            }
            return inbound.receive()
                    .map(TcpDuplexConnection::copy) // Reactor Netty releases the ByteBuf once onNext returned
                    .concatWith(Mono.defer(this::failureOrEmpty));
        });
    }

    @Override
    public Mono<Void> send(Publisher<ByteBuffer> frames) {
        return Mono.defer(() -> {
            if (!channel.isActive()) {
                return Mono.error(closedError("cannot send", null));
            }
            // Flux (never Mono) so that Reactor Netty writes with backpressure on this channel's writability.
            return outbound.send(Flux.from(frames).map(Unpooled::wrappedBuffer)).then()
                    .onErrorMap(error -> !channel.isActive() && !(error instanceof IllegalStateException),
                            error -> closedError("a send was under way", error));
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Errors instead, with the reason, when a handler of this module closed the channel (see {@link #receive()}).
     */
    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public void dispose() {
        channel.close();
    }

    @Override
    public boolean isDisposed() {
        return !channel.isActive();
    }

    /** @return the Netty channel (tests observe writability and autoRead) */
    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "TcpDuplexConnection[" + peer + (channel.isActive() ? "" : ", closed") + "]";
    }

    private Mono<ByteBuffer> failureOrEmpty() {
        Throwable failure = TcpPipeline.failure(channel);
        return failure == null ? Mono.empty() : Mono.error(failure);
    }

    private IllegalStateException closedError(String detail, @Nullable Throwable cause) {
        Throwable failure = TcpPipeline.failure(channel);
        String message = "tcp connection " + peer + " is closed"
                + (failure != null ? " (" + failure.getMessage() + ")" : "") + ": " + detail
                + "; expected sends to finish before the close";
        return cause == null ? new IllegalStateException(message) : new IllegalStateException(message, cause);
    }

    private static ByteBuffer copy(ByteBuf frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.getBytes(frame.readerIndex(), copy);
        return copy.flip();
    }
}
