package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Encodes a send's messages into few buffers: each buffer passed on holds the frames of every message that arrived
 * since the channel's event loop last ran this operator, up to {@value #BATCH_BYTES} bytes (a longer frame goes
 * alone). So a burst costs Netty one buffer, one write and one promise per batch rather than per frame, while a lone
 * message still leaves at once (the next turn of the event loop).
 *
 * <p>Netty and Reactor Netty have no such step: Reactor Netty writes each item of a send as its own buffer, and
 * Netty's {@code FlushConsolidationHandler} saves flushes, not buffers. Hence this operator, in the shape of
 * Reactor's {@code publishOn}: a queue of {@value #PREFETCH} messages, replenished as they are encoded, drained on
 * the event loop.
 *
 * <p>Frames whose length the encoder knows in advance ({@link FrameEncoder#frameLength}) are encoded straight into
 * the batch; any other one is encoded on its own and copied in. Backpressure: a batch is made and passed on only
 * against the subscriber's demand and while the channel is writable (its outbound buffer below the high-water mark;
 * {@link WritabilityWatch} wakes the operator when there is room again), and the source is asked for messages only
 * as they leave the queue. So a stalled peer costs a send at most {@value #PREFETCH} queued messages plus the
 * channel's high-water mark and one batch. An encoder's exception passes on the frames encoded before it, then
 * fails the stream (the message that failed is not written) and cancels the source.
 *
 * <p>Threading: the source may signal on any thread; encoding and every signal to the subscriber run on the event
 * loop (or, once the loop refuses tasks, on the signalling thread).
 *
 * @param <T> the message type
 */
final class FrameBatcher<T> extends Flux<ByteBuf> {

    static final int BATCH_BYTES = 16 * 1024;
    static final int PREFETCH = Queues.XS_BUFFER_SIZE;

    private final Publisher<? extends T> source;
    private final FrameEncoder<? super T> encoder;
    private final Channel channel;

    FrameBatcher(Publisher<? extends T> source, FrameEncoder<? super T> encoder, Channel channel) {
        this.source = source;
        this.encoder = encoder;
        this.channel = channel;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new Batching<>(actual, encoder, channel));
    }

    private static final class Batching<T> implements CoreSubscriber<T>, Subscription, Runnable {

        private static final AtomicIntegerFieldUpdater<Batching> WIP =
                AtomicIntegerFieldUpdater.newUpdater(Batching.class, "wip");
        private static final AtomicLongFieldUpdater<Batching> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Batching.class, "requested");
        /** The source is asked for more once this many messages left the queue. */
        private static final int LIMIT = PREFETCH - (PREFETCH >> 2);

        private final CoreSubscriber<? super ByteBuf> actual;
        private final FrameEncoder<? super T> encoder;
        private final Channel channel;
        private final ByteBufAllocator alloc;
        private final EventLoop loop;
        private final @Nullable WritabilityWatch watch;
        private final Queue<T> queue = Queues.<T>get(PREFETCH).get();
        private final AtomicBoolean waitingForRoom = new AtomicBoolean();

        private @Nullable Subscription upstream;
        private volatile int wip;
        private volatile long requested;
        private volatile boolean done;
        private @Nullable Throwable error;
        private volatile boolean cancelled;
        /** Drain only: messages taken from the queue since the source was last asked for more. */
        private int consumed;
        /** Drain only: a frame encoded on its own that did not fit the last batch; it starts the next one. */
        private @Nullable ByteBuffer carried;
        /** Drain only: the stream was terminated. */
        private boolean terminated;

        Batching(CoreSubscriber<? super ByteBuf> actual, FrameEncoder<? super T> encoder, Channel channel) {
            this.actual = actual;
            this.encoder = encoder;
            this.channel = channel;
            this.alloc = channel.alloc();
            this.loop = channel.eventLoop();
            this.watch = channel.pipeline().get(WritabilityWatch.class);
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
                s.request(PREFETCH);
            }
        }

        @Override
        public void onNext(T message) {
            if (done) {
                Operators.onNextDropped(message, actual.currentContext());
                return;
            }
            if (cancelled) {
                Operators.onDiscard(message, actual.currentContext());
                return;
            }
            if (!queue.offer(message)) { // the source sent more than it was asked for
                Subscription s = upstream;
                if (s != null) {
                    s.cancel();
                }
                error = Operators.onOperatorError(s,
                        Exceptions.failWithOverflow(Exceptions.BACKPRESSURE_ERROR_QUEUE_FULL), message,
                        actual.currentContext());
                done = true;
            }
            schedule();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            error = t;
            done = true;
            schedule();
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            schedule();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                schedule();
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            schedule(); // the drain forgets what is queued
        }

        private void schedule() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            try {
                loop.execute(this); // even on the loop itself: what arrives meanwhile joins the batch
            } catch (RejectedExecutionException shutDown) {
                run();
            }
        }

        /** The drain, on the event loop: one batch per unit of demand. */
        @Override
        public void run() {
            int missed = 1;
            for (;;) {
                long r = requested;
                long e = 0;
                while (e != r) {
                    if (stopIfCancelledOrDone()) {
                        return;
                    }
                    if (queue.isEmpty() && carried == null) {
                        break;
                    }
                    // No new batch while the socket has no room. A closed channel is never writable again: its
                    // batches go on, and fail downstream, rather than wait (and re-wake) forever.
                    if (!channel.isWritable() && channel.isActive() && watch != null) {
                        if (waitingForRoom.compareAndSet(false, true)) {
                            watch.whenWritable(channel, this::roomAgain);
                        }
                        break;
                    }
                    ByteBuf batch = nextBatch();
                    if (batch == null) {
                        if (terminated) {
                            return; // the encoder failed
                        }
                        break; // nothing visible to take yet: the source's schedule() comes next
                    }
                    actual.onNext(batch);
                    e++;
                }
                if (e == r && stopIfCancelledOrDone()) {
                    return;
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -e);
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void roomAgain() {
            waitingForRoom.set(false);
            schedule();
        }

        /** @return whether the stream ended here: cancelled (the queue is cleared), or done with nothing left */
        private boolean stopIfCancelledOrDone() {
            if (terminated) {
                return true;
            }
            if (cancelled) {
                clear();
                return true;
            }
            if (done && queue.isEmpty() && carried == null) {
                terminated = true;
                Throwable t = error;
                if (t != null) {
                    actual.onError(t);
                } else {
                    actual.onComplete();
                }
                return true;
            }
            return false;
        }

        /**
         * Encodes queued messages into one buffer, as many as fit.
         *
         * @return the batch (never empty); null when there was nothing to take, or when the encoder failed on its
         *     first message (then {@code terminated})
         */
        private @Nullable ByteBuf nextBatch() {
            ByteBuf batch = null;
            try {
                ByteBuffer frame = carried;
                if (frame != null) {
                    carried = null;
                    batch = alloc.ioBuffer(guess(frame.remaining()));
                    batch.writeBytes(frame);
                }
                T message;
                while ((message = queue.peek()) != null) {
                    int length = encoder.frameLength(message);
                    if (length < 0) {
                        frame = encoder.encode(message);
                        length = frame.remaining();
                        if (batch == null) {
                            batch = alloc.ioBuffer(guess(length));
                        } else if (!room(batch, length)) {
                            taken();
                            carried = frame; // first in the next batch
                            break;
                        }
                        taken();
                        batch.writeBytes(frame);
                        continue;
                    }
                    if (batch == null) {
                        batch = alloc.ioBuffer(guess(length));
                    } else if (!room(batch, length)) {
                        break;
                    }
                    encodeInto(batch, message, length);
                    taken();
                }
                return batch;
            } catch (RuntimeException failure) {
                return fail(batch, failure);
            }
        }

        /**
         * @return a first capacity for a batch that starts with a frame of {@code length} bytes: room for what waits
         *     now and as much again (the source refills the queue while the batch is made), within the cap
         */
        private int guess(int length) {
            long wanted = Math.max(256, 2L * length * (queue.size() + 1));
            return (int) Math.max(length, Math.min(BATCH_BYTES, wanted));
        }

        /** @return whether a frame of {@code length} bytes joins the batch (which grows up to the cap for it) */
        private static boolean room(ByteBuf batch, int length) {
            if (batch.writableBytes() >= length) {
                return true;
            }
            if (batch.writerIndex() + length > BATCH_BYTES) {
                return false;
            }
            batch.ensureWritable(length);
            return true;
        }

        private void encodeInto(ByteBuf batch, T message, int length) {
            int at = batch.writerIndex();
            // The buffer's own NIO view (no copy, no new object for pooled buffers), the one the socket write uses.
            ByteBuffer out = batch.internalNioBuffer(at, length);
            int start = out.position();
            encoder.encode(message, out);
            if (out.position() - start != length) {
                throw new IllegalStateException("encoder " + encoder + " wrote " + (out.position() - start)
                        + " bytes of a frame it announced as " + length + " bytes; expected exactly " + length);
            }
            batch.writerIndex(at + length);
        }

        /** A message left the queue: asks the source for more once enough did. */
        private void taken() {
            queue.poll();
            if (++consumed == LIMIT) {
                consumed = 0;
                Subscription s = upstream;
                if (s != null) {
                    s.request(LIMIT);
                }
            }
        }

        /** Passes on what was encoded before the failure (demand for it is already counted), then the error. */
        private @Nullable ByteBuf fail(@Nullable ByteBuf batch, RuntimeException failure) {
            Exceptions.throwIfJvmFatal(failure);
            queue.poll(); // the message that failed
            terminated = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            clear();
            if (batch != null && batch.writerIndex() > 0) {
                actual.onNext(batch);
            } else if (batch != null) {
                batch.release();
            }
            actual.onError(failure);
            return null;
        }

        private void clear() {
            carried = null;
            Operators.onDiscardQueueWithClear(queue, actual.currentContext(), null);
        }
    }
}
