package io.github.reactivepubsub.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

/**
 * The handlers this module adds to a Reactor Netty connection, and how they report why they closed it.
 *
 * <p>Inbound order: whatever the pre-configured {@code TcpServer}/{@code TcpClient} installed (TLS first), then
 * {@link ReadIdleHandler} (raw bytes), then {@link LengthFieldFrameDecoder} (runs of whole frames), then
 * {@link WritabilityWatch} (wakes sends that wait for room), then Reactor Netty's bridge to {@code receive()}.
 * Outbound bytes pass untouched: each buffer a send writes is already a run of whole frames ({@link FrameBatcher}).
 *
 * <p>A handler that closes the connection first records the reason in the channel attribute {@link #FAILURE}, then
 * closes; {@link TcpDuplexConnection} turns that reason into the error of {@code receive()} and {@code onClose()}.
 */
final class TcpPipeline {

    static final String IDLE_HANDLER = "reactive-pubsub.readIdle";
    static final String FRAME_DECODER = "reactive-pubsub.frameDecoder";
    static final String WRITABILITY = "reactive-pubsub.writability";

    /** Why a handler of this module closed the channel; set at most once, before the close. */
    static final AttributeKey<Throwable> FAILURE = AttributeKey.valueOf(TcpPipeline.class, "failure");

    private TcpPipeline() {
    }

    /** Adds the idle check (when enabled) and the frame decoder; called from doOnConnection / doOnConnected. */
    static void install(Connection connection, TcpSessionOptions options) {
        String peer = peer(connection.channel());
        if (!options.idleTimeout().isZero()) {
            connection.addHandlerLast(IDLE_HANDLER, new ReadIdleHandler(options.idleTimeout(),
                    options.sessionOptions().scheduler(), peer));
        }
        connection.addHandlerLast(FRAME_DECODER, new LengthFieldFrameDecoder(options.maxFrameLength(), peer,
                options.framingErrorReply(), options.closeTimeout()));
        connection.addHandlerLast(WRITABILITY, new WritabilityWatch());
    }

    /** Records {@code reason} as the cause of the close (unless one was recorded already), then closes. */
    static void fail(ChannelHandlerContext ctx, Throwable reason) {
        ctx.channel().attr(FAILURE).setIfAbsent(reason);
        ctx.close();
    }

    /**
     * Records {@code reason}, writes {@code lastFrame} (when not null) and closes once it was written, or after
     * {@code timeout} at the latest (a peer that does not read cannot keep the connection open).
     */
    static void fail(ChannelHandlerContext ctx, Throwable reason, @Nullable ByteBuf lastFrame, Duration timeout) {
        if (lastFrame == null || timeout.isZero()) {
            if (lastFrame != null) {
                lastFrame.release();
            }
            fail(ctx, reason);
            return;
        }
        ctx.channel().attr(FAILURE).setIfAbsent(reason);
        var deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(lastFrame).addListener(written -> {
            deadline.cancel(false);
            ctx.close();
        });
    }

    /** @return the reason a handler of this module closed the channel, if one did */
    static @Nullable Throwable failure(Channel channel) {
        return channel.attr(FAILURE).get();
    }

    /** @return the peer's address as {@code host:port} (a numeric host), or the address's own text */
    static String peer(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ":" + inet.getPort();
        }
        return String.valueOf(remote);
    }
}
