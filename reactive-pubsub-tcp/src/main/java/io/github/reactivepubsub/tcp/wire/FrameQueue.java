package io.github.reactivepubsub.tcp.wire;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * The frames waiting to be written on one connection: a bounded multi-producer queue that is a {@link Flux} for its
 * single consumer (the session's {@code sendAll}), which takes frames only as the transport accepts bytes.
 *
 * <p>Bounded: {@link #offer} refuses a frame once {@code capacity} frames wait, or when it would take the waiting
 * frames' bytes past {@code maxBytes} ({@link Offer#FULL}; a whole frame's bytes, length prefix included); the caller
 * decides what that means (a publish is rejected as back-pressured; the server closes a connection whose control
 * frames overflow). Order: the frames of each producing thread keep their order.
 *
 * <p>Thread-safe: {@link #offer} from any thread; the drain (the usual {@code wip} counter) runs on whichever thread
 * offered or requested, one at a time, and never blocks.
 */
public final class FrameQueue extends Flux<Frame> implements Subscription {

    /** The outcome of an offer. */
    public enum Offer {
        OK, FULL, CLOSED
    }

    /** Frames, or {@link Counted} frames when bytes are counted. */
    private final Queue<Object> queue = Queues.unboundedMultiproducer().get();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    /** Long.MAX_VALUE: bytes not counted (the client's queue, bounded by count and by its frames' own limits). */
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    private volatile @Nullable CoreSubscriber<? super Frame> actual;
    private volatile boolean closed;
    private volatile boolean completing;
    private boolean completed;

    private volatile long requested;
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<FrameQueue> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(FrameQueue.class, "requested");

    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<FrameQueue> WIP =
            AtomicIntegerFieldUpdater.newUpdater(FrameQueue.class, "wip");

    /** @param capacity the most frames that may wait (bytes not counted) */
    public FrameQueue(int capacity) {
        this(capacity, Long.MAX_VALUE);
    }

    /**
     * @param capacity the most frames that may wait
     * @param maxBytes the most bytes of whole frames that may wait; a frame that does not know its length in advance
     *     ({@link Frame#framedLength()}) is encoded once more to count it (meant for control frames, not the data path)
     */
    public FrameQueue(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** @return how many frames wait */
    public int size() {
        return size.get();
    }

    /** @return the bytes of the frames that wait (0 when bytes are not counted) */
    public long bytes() {
        return bytes.get();
    }

    private static long bytesOf(Frame frame) {
        int length = frame.framedLength();
        return length >= 0 ? length : FrameFields.PREFIX + (long) frame.encode().length;
    }

    /**
     * @param frame the frame to write after those already waiting
     * @return {@link Offer#OK}, {@link Offer#FULL} (not queued) or {@link Offer#CLOSED} (the connection ended)
     */
    public Offer offer(Frame frame) {
        if (closed || completing) {
            return Offer.CLOSED;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return Offer.FULL;
        }
        long length = 0;
        if (maxBytes != Long.MAX_VALUE) {
            length = bytesOf(frame);
            if (bytes.addAndGet(length) > maxBytes) {
                bytes.addAndGet(-length);
                size.decrementAndGet();
                return Offer.FULL;
            }
        }
        queue.offer(maxBytes != Long.MAX_VALUE ? new Counted(frame, length) : frame);
        drain();
        return Offer.OK;
    }

    /** Refuses later offers, hands over what waits, then completes the consumer (a graceful close). */
    public void complete() {
        completing = true;
        drain();
    }

    /** Refuses later offers and drops what waits (the connection ended). Idempotent. */
    public void close() {
        closed = true;
        drain();
    }

    @Override
    public void subscribe(CoreSubscriber<? super Frame> subscriber) {
        if (actual != null) {
            Operators.error(subscriber, new IllegalStateException("a frame queue has a single consumer"));
            return;
        }
        actual = subscriber;
        subscriber.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public void cancel() {
        close();
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            CoreSubscriber<? super Frame> a = actual;
            if (closed) {
                queue.clear();
                size.set(0);
                bytes.set(0);
            } else if (a != null) {
                long r = requested;
                long e = 0;
                while (e != r) {
                    Object next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    size.decrementAndGet();
                    Frame frame;
                    if (next instanceof Counted counted) {
                        bytes.addAndGet(-counted.bytes);
                        frame = counted.frame;
                    } else {
                        frame = (Frame) next;
                    }
                    a.onNext(frame);
                    e++;
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -e);
                }
                if (completing && !completed && queue.isEmpty()) {
                    completed = true;
                    a.onComplete();
                }
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** A frame and the bytes it was counted at. */
    private record Counted(Frame frame, long bytes) {
    }
}
