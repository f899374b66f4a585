package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.DuplexConnection;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * {@link TcpPipeline}: each read is one or more whole length-prefixed frames (what one socket read completed).
 *
 * <p><b>Reading is driven by demand.</b> {@link #receive()} is Reactor Netty's inbound {@code Flux}, which keeps the
 * channel's {@code autoRead} off while its subscriber has no demand: the socket is then not read, the kernel's
 * receive buffer fills, TCP's window closes and the peer's writes back up. Reactor Netty prefetches a little (it
 * keeps reading until 32 reads wait, and a socket read already under way completes), so a stalled subscriber holds
 * at most about 33 socket reads (each at most 64 KiB, or one frame when a frame is longer).
 *
 * <p><b>ByteBuf ownership: copy, then Reactor Netty releases.</b> Each inbound read (a retained slice of whole frames
 * made by the frame decoder) is copied into a new heap {@link ByteBuffer} inside {@code onNext}; Reactor Netty releases
 * the {@code ByteBuf} as soon as {@code onNext} returns, and releases the frames it still holds when the subscriber
 * cancels or the channel closes. No {@code ByteBuf} escapes this class, so a session may keep a read for as long as
 * it likes and no path (cancel, error, close, a read racing a close) can leak. The copy costs one heap allocation
 * per read, bounded like the read; retaining the slice until the next request would save it but tie buffer
 * lifetimes to the session's drain loop. Each copy is a new buffer that nothing writes again (the
 * {@link DuplexConnection#receive()} contract): decoded frames may keep views of it, as the remote hub's PUBLISH and
 * MESSAGE frames do for their payloads.
 *
 * <p><b>Writing.</b> A send's frames go into buffers of the channel's allocator (pooled; direct for NIO, so the
 * socket writes them without another copy), as many per buffer as arrived since the event loop last took them
 * ({@link FrameBatcher}): a session's message straight from its encoder when the encoder knows the frame's length in
 * advance ({@link #send(Publisher, FrameEncoder)}), otherwise copied from the encoder's {@link ByteBuffer}. Reactor
 * Netty writes the buffers; messages are taken from the source only while the channel is writable. The buffers are
 * released by Netty once written, or by Reactor Netty when a send is cancelled or fails (a buffer whose encoding
 * failed is released at once).
 *
 * <p><b>Closing.</b> {@link #dispose()} closes the channel at once. {@link #disposeGracefully()} (a session closed
 * without an error) loses nothing that was written: on the event loop it makes the pipeline discard (release) every
 * inbound buffer from then on and turns reading on, writes what is pending (TLS: then its {@code close_notify}),
 * shuts the output down (FIN), and closes when the peer closed its side (the end of the stream, read like data) or
 * after the close timeout. A socket closed with unread inbound bytes would send a reset instead, and the peer's
 * kernel would drop the bytes its application had not read yet, the last frames sent among them.
 *
 * <p>Thread-safe: every method may be called from any thread; Netty runs the I/O on the channel's event loop.
 */
final class TcpDuplexConnection implements DuplexConnection {

    /** The channel itself: Reactor Netty swaps the Connection's channel for a placeholder once it terminated. */
    private final Channel channel;
    private final NettyInbound inbound;
    private final NettyOutbound outbound;
    private final String peer;
    private final Duration closeTimeout;
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final AtomicBoolean closingGracefully = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    TcpDuplexConnection(Connection connection, String peer, Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
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
     * <p>Each read is one or more whole frames, length fields included. Completes when the channel closed (after the
     * frames received before); errors with the reason when a handler of this module closed it
     * ({@link io.github.reactivepubsub.ProtocolException} for a frame over the maximum,
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

    /**
     * {@inheritDoc}
     *
     * <p>Errors with an {@link IllegalStateException} as well when the channel closed before the source completed
     * and every buffer was written (Reactor Netty itself completes such a send normally).
     */
    @Override
    public Mono<Void> send(Publisher<ByteBuffer> frames) {
        return Mono.defer(() -> {
            if (!channel.isActive()) {
                return Mono.error(closedError("cannot send", null));
            }
            return write(new FrameBatcher<>(frames, AS_IS, channel));
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A frame whose length the encoder knows in advance is encoded straight into a buffer of the channel's
     * allocator (pooled, direct for NIO), which the socket writes; any other one is encoded on its own and copied.
     */
    @Override
    public <T> Mono<Void> send(Publisher<? extends T> messages, FrameEncoder<? super T> encoder) {
        return Mono.defer(() -> {
            if (!channel.isActive()) {
                return Mono.error(closedError("cannot send", null));
            }
            return write(new FrameBatcher<>(messages, encoder, channel));
        });
    }

    private Mono<Void> write(Flux<ByteBuf> buffers) {
        // Flux (never Mono) so that Reactor Netty writes with backpressure on this channel's writability.
        return outbound.send(buffers).then()
                .onErrorMap(error -> !channel.isActive() && !(error instanceof IllegalStateException),
                        error -> closedError("a send was under way", error))
                .then(Mono.defer(this::activeOrClosedError));
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

    /**
     * {@inheritDoc}
     *
     * <p>See the class documentation; bounded by {@link TcpSessionOptions#closeTimeout()}. Closes at once when the
     * channel is not active any more (the peer closed first) or the timeout is zero.
     */
    @Override
    public void disposeGracefully() {
        if (!(channel instanceof DuplexChannel duplex) || closeTimeout.isZero() || !channel.isActive()) {
            channel.close();
            return;
        }
        if (!closingGracefully.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.eventLoop().execute(() -> closeGracefully(duplex));
        } catch (RejectedExecutionException shutDown) {
            channel.close();
        }
    }

    /** On the event loop: discard input, flush, FIN, then close once the peer closed or the timeout passed. */
    private void closeGracefully(DuplexChannel duplex) {
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        var deadline = channel.eventLoop().schedule(() -> channel.close(), closeTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
        // Reading goes on so that the peer's end of the stream is seen and nothing unread is left behind (which
        // would turn the close into a reset); what still arrives is released here, never handed to the session.
        channel.pipeline().addFirst(DISCARD_HANDLER, new DiscardInbound());
        channel.config().setAutoRead(true);
        channel.read();
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        // Completes once everything written before it is written: FIN must not cut pending writes short.
        ChannelFuture flushed = tls != null ? tls.closeOutbound() : channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        flushed.addListener(written -> {
            if (written.isSuccess() && channel.isActive()) {
                duplex.shutdownOutput().addListener(shut -> {
                    if (!shut.isSuccess()) {
                        channel.close();
                    }
                });
            } else {
                channel.close();
            }
        });
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

    /**
     * Reactor Netty completes a send normally, dropping what it has not written, when the channel closes under it;
     * its normal completion runs on the event loop right after the last write succeeded, while the channel is still
     * active. So a send that completes on an inactive channel was cut short: an error, never a false "written".
     */
    private Mono<Void> activeOrClosedError() {
        return channel.isActive() ? Mono.empty() : Mono.error(closedError("a send was under way", null));
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

    static final String DISCARD_HANDLER = "reactive-pubsub.discardWhileClosing";

    /** First in the pipeline during a graceful close: releases every inbound buffer; closes on the end of input. */
    private static final class DiscardInbound extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // swallowed: the session reads nothing more
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close(); // the peer closed its side (half-closure allowed): done
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Frames already encoded: each buffer's bytes as they are (never modified). */
    private static final FrameEncoder<ByteBuffer> AS_IS = new FrameEncoder<>() {
        @Override
        public ByteBuffer encode(ByteBuffer frame) {
            return frame.duplicate();
        }

        @Override
        public int frameLength(ByteBuffer frame) {
            return frame.remaining();
        }

        @Override
        public void encode(ByteBuffer frame, ByteBuffer out) {
            int at = out.position();
            out.put(at, frame, frame.position(), frame.remaining()).position(at + frame.remaining());
        }

        @Override
        public String toString() {
            return "frames as they are";
        }
    };

    private static ByteBuffer copy(ByteBuf frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.getBytes(frame.readerIndex(), copy);
        return copy.flip();
    }
}
