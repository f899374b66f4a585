package io.github.reactivepubsub.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs what waits for the channel to become writable again (a {@link FrameBatcher} that stopped passing batches on
 * while the channel's outbound buffer was above its high-water mark), once it is, or once the channel closed.
 * Installed by {@link TcpPipeline}; one per channel.
 */
final class WritabilityWatch extends ChannelInboundHandlerAdapter {

    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean inactive;

    /**
     * Runs {@code task} once the channel is writable or closed (at once, on the caller's thread, when it already
     * is; otherwise on the event loop); each task runs once.
     *
     * @param channel the channel this handler is in
     * @param task what to run
     */
    void whenWritable(Channel channel, Runnable task) {
        waiting.add(task);
        if (channel.isWritable() || inactive) {
            runAll();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            runAll();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        inactive = true;
        runAll();
        super.channelInactive(ctx);
    }

    private void runAll() {
        Runnable task;
        while ((task = waiting.poll()) != null) {
            task.run();
        }
    }
}
