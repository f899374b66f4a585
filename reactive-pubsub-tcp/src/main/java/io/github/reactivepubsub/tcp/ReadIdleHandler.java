package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.internal.IdleTimer;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Closes the channel with an {@link IdleTimeoutException} when no byte arrived for the timeout while the channel was
 * reading ({@code autoRead} on: the session's consumers have demand, or Reactor Netty is filling its small prefetch).
 * While reading is paused for backpressure the clock is held, so a stalled consumer never times its peer out.
 *
 * <p>One {@link IdleTimer} on the session's scheduler (so virtual time drives it in tests): every read and every read
 * request (which includes a resumption after a pause) touches it; the close itself runs on the channel's event loop.
 * Not sharable.
 */
final class ReadIdleHandler extends ChannelDuplexHandler {

    private final Duration timeout;
    private final Scheduler scheduler;
    private final String peer;
    private @Nullable IdleTimer timer;

    ReadIdleHandler(Duration timeout, Scheduler scheduler, String peer) {
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        touch();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        touch();
        ctx.read();
    }

    private void touch() {
        IdleTimer t = timer;
        if (t != null) {
            t.touch();
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        timer = IdleTimer.builder(timeout, scheduler)
                // paused by backpressure: not the peer's silence
                .holdWhile(() -> !ctx.channel().config().isAutoRead())
                .start(() -> ctx.executor().execute(() -> {
                    if (ctx.channel().isActive()) {
                        TcpPipeline.fail(ctx, new IdleTimeoutException("session " + peer + ": no bytes received for "
                                + timeout + " while reading; expected data at least every " + timeout
                                + " (idleTimeout)"));
                    }
                }));
    }

    private void stop() {
        IdleTimer t = timer;
        if (t != null) {
            t.dispose();
        }
    }
}
