package io.github.reactivepubsub.tcp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes the channel with an {@link IdleTimeoutException} when no byte arrived for the timeout while the channel was
 * reading ({@code autoRead} on: the session's consumers have demand, or Reactor Netty is filling its small prefetch).
 * While reading is paused for backpressure the clock is held, so a stalled consumer never times its peer out.
 *
 * <p>The activity clock is reset by every read and every read request (which includes a resumption after a pause).
 * A timer on the channel's event loop checks it once per timeout, or sooner when the last activity is more recent.
 * Not sharable; all state is touched on the channel's event loop only.
 */
final class ReadIdleHandler extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private final Duration timeout;
    private final String peer;
    private long lastActivityNanos;
    private @Nullable ScheduledFuture<?> timer;

    ReadIdleHandler(Duration timeout, String peer) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
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
        lastActivityNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        lastActivityNanos = System.nanoTime();
        ctx.read();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        lastActivityNanos = System.nanoTime();
        schedule(ctx, timeoutNanos);
    }

    private void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (!ctx.channel().config().isAutoRead()) {
            lastActivityNanos = now; // paused by backpressure: not the peer's silence
            schedule(ctx, timeoutNanos);
            return;
        }
        long idle = now - lastActivityNanos;
        if (idle < timeoutNanos) {
            schedule(ctx, timeoutNanos - idle);
            return;
        }
        TcpPipeline.fail(ctx, new IdleTimeoutException("session " + peer + ": no bytes received for "
                + Duration.ofNanos(idle).toMillis() + " ms while reading; expected data at least every " + timeout
                + " (idleTimeout)"));
    }
}
