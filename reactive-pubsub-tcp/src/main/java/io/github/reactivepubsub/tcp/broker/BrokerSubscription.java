package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One remote subscription on the server: a subscriber of the server's hub that is also the source of that
 * subscription's MESSAGE frames for the connection's outbound merge.
 *
 * <p><b>Buffer, bounded by count and bytes.</b> It takes every message the hub delivers at once (so nothing waits in
 * the hub), encodes it into a MESSAGE frame, and keeps the frames its client has no credit for, or its connection
 * no room for, in its own queue: at most {@code bufferSize} frames and {@code maxBytes} bytes, and within the
 * connection's and the broker's {@link ByteBudget}. A frame stays reserved in those two budgets until the outbound
 * merge hands it to the socket (the connection releases it), so the merge's prefetch is bounded by bytes too. When a
 * new frame does not fit, the subscription's {@link Overflow} policy applies: ERROR ends the subscription with
 * SUBSCRIPTION_END OVERFLOW (the waiting frames are dropped), DROP_OLDEST drops waiting frames of this subscription
 * until it fits (or drops the new one when none is left), DROP_LATEST drops the new one. So a client that stops
 * requesting, or a connection that stops writing, costs the server at most these bounds, and never slows the
 * publishers or other subscriptions.
 *
 * <p><b>Credit.</b> A frame is handed to the merge only against credit the client granted (CREDIT frames, its
 * subscriber's demand) and demand of the merge (it asks only as the socket takes bytes). Granting credit is O(1),
 * whatever its value.
 *
 * <p><b>End.</b> When the hub ends the subscription (its close) a SUBSCRIPTION_END frame is emitted after the last
 * waiting MESSAGE, then the source completes; on an overflow under ERROR or an encoding failure it is emitted at
 * once; when the client unsubscribes or the connection ends, the hub subscription is cancelled. The connection
 * forgets the subscription ({@code onTerminated}) only once the source finished, so credit still reaches the
 * messages waiting before the END frame.
 *
 * <p>Threading: hub signals come from publishing threads, credit from the connection's inbound thread, demand and
 * cancellation from the outbound merge; all state is guarded by this object's monitor, held only for counters, the
 * queue and for handing a frame to the merge (which never blocks).
 */
final class BrokerSubscription extends Flux<Frame> implements CoreSubscriber<Message<Object>>, Subscription {

    private static final Logger LOG = Loggers.getLogger(BrokerSubscription.class);
    /** What a waiting MESSAGE frame costs beyond its payload and key: the record, arrays, the deque slot. */
    static final int FRAME_OVERHEAD = 64;

    private final int id;
    private final Key pattern;
    private final int bufferSize;
    private final long maxBytes;
    private final Overflow overflow;
    private final Codec<Object> codec;
    private final ByteBudget budget;
    private final Runnable onTerminated;
    private final ArrayDeque<MessageFrame> queue = new ArrayDeque<>();

    private @Nullable Subscription upstream;
    private @Nullable CoreSubscriber<? super Frame> actual;
    private long queuedBytes;
    /** MESSAGE frames the client still allows ({@code Long.MAX_VALUE}: unbounded). */
    private long credit;
    /** Frames the merge still asks for. */
    private long demand;
    private long dropped;
    private @Nullable Frame pendingEnd;
    /** The hub subscription ended or was cancelled: no more frames are queued. */
    private boolean terminal;
    /** The merge was completed or cancelled: nothing more is emitted. */
    private boolean finished;

    BrokerSubscription(int id, Key pattern, int bufferSize, long maxBytes, Overflow overflow, Codec<Object> codec,
            ByteBudget budget, Runnable onTerminated) {
        this.id = id;
        this.pattern = pattern;
        this.bufferSize = bufferSize;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
        this.codec = codec;
        this.budget = budget;
        this.onTerminated = onTerminated;
    }

    /** @return the bytes a MESSAGE frame holds while it waits on the broker (estimated, the same at both ends) */
    static long sizeOf(MessageFrame frame) {
        return frame.payload().length + 2L * frame.key().toString().length() + FRAME_OVERHEAD;
    }

    /**
     * Subscribes to the hub now, so that later frames of the connection (publishes) see the subscription. The hub's
     * own buffer stays empty (everything is requested at once); the hub's overflow policy never triggers.
     */
    void start(Hub hub) {
        hub.<Object>subscribe(pattern, SubscribeOptions.defaults().bufferSize(1)).subscribe(this);
    }

    int id() {
        return id;
    }

    /** Adds credit granted by the client; {@link CreditFrame#UNBOUNDED} lifts the limit. */
    void grant(long more) {
        synchronized (this) {
            credit = more == CreditFrame.UNBOUNDED ? Long.MAX_VALUE : Operators.addCap(credit, more);
            drain();
        }
    }

    /** The client unsubscribed: cancel the hub subscription and complete this source without an END frame. */
    void unsubscribe() {
        cancelUpstream();
        end(null);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Frame> subscriber) {
        synchronized (this) {
            actual = subscriber;
        }
        subscriber.onSubscribe(this);
        synchronized (this) {
            drain();
        }
    }

    @Override
    public void onSubscribe(Subscription s) {
        boolean cancel;
        synchronized (this) {
            cancel = terminal;
            if (!cancel) {
                upstream = s;
            }
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(Message<Object> message) {
        if (message.payload() instanceof HubEvent) {
            return; // the hub's meta messages (Hub.addedSubscriber.<topic>): clients get them as EVENT frames instead
        }
        MessageFrame frame;
        try {
            frame = new MessageFrame(id, message.key(), codec.encode(message.payload()));
        } catch (RuntimeException e) {
            Exceptions.throwIfJvmFatal(e);
            cancelUpstream();
            fail(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.FAILED, "a message to '" + message.key()
                    + "' for the subscription of '" + pattern + "' cannot be encoded by the broker's codec: "
                    + e.getMessage()));
            return;
        }
        String overflowed = null;
        synchronized (this) {
            if (terminal) {
                return;
            }
            overflowed = offer(frame);
            if (overflowed == null) {
                drain();
            }
        }
        if (overflowed != null) {
            cancelUpstream();
            LOG.warn("remote subscriber {} of '{}' overflowed: {}", id, pattern, overflowed);
            fail(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.OVERFLOW, "subscriber of '" + pattern
                    + "' overflowed on the broker: " + overflowed));
        }
    }

    /** Under the monitor: queues the frame, applying the overflow policy; returns why when it overflowed (ERROR). */
    private @Nullable String offer(MessageFrame frame) {
        long size = sizeOf(frame);
        for (;;) {
            String full;
            if (queue.size() >= bufferSize) {
                full = "its buffer of " + bufferSize + " messages is full";
            } else if (queuedBytes + size > maxBytes) {
                full = "its buffer of " + maxBytes + " bytes cannot take a message of " + size + " bytes";
            } else {
                ByteBudget refused = budget.tryReserve(size);
                if (refused == null) {
                    queue.add(frame);
                    queuedBytes += size;
                    return null;
                }
                full = "the " + refused + " cannot take a message of " + size + " bytes";
            }
            if (overflow == Overflow.ERROR) {
                return full;
            }
            if (overflow == Overflow.DROP_OLDEST && !queue.isEmpty()) {
                MessageFrame oldest = queue.poll();
                long oldestSize = sizeOf(oldest);
                queuedBytes -= oldestSize;
                budget.release(oldestSize);
                dropped++;
                continue;
            }
            if (dropped++ % 10_000 == 0) {
                LOG.debug("remote subscriber {} of '{}' dropped a message ({}; {} dropped)", id, pattern, full,
                        dropped);
            }
            return null;
        }
    }

    /** Under the monitor: hands waiting frames to the merge against credit and demand, then the END frame. */
    private void drain() {
        CoreSubscriber<? super Frame> a = actual;
        if (a == null || finished) {
            return;
        }
        while (demand > 0 && credit > 0 && !queue.isEmpty()) {
            MessageFrame frame = queue.poll();
            queuedBytes -= sizeOf(frame); // still held in the budget until the connection wrote it
            demand--;
            if (credit != Long.MAX_VALUE) {
                credit--;
            }
            a.onNext(frame);
        }
        if (!terminal || !queue.isEmpty()) {
            return;
        }
        Frame end = pendingEnd;
        if (end != null) {
            if (demand <= 0) {
                return; // the merge asks for more once it took what was emitted
            }
            pendingEnd = null;
            demand--;
            a.onNext(end);
        }
        finished = true;
        onTerminated.run(); // only now: CREDIT for the frames still waiting above must reach this subscription
        a.onComplete();
    }

    @Override
    public void onError(Throwable error) {
        SubscriptionEndFrame.Reason reason = error instanceof OverflowException
                ? SubscriptionEndFrame.Reason.OVERFLOW : SubscriptionEndFrame.Reason.FAILED;
        fail(new SubscriptionEndFrame(id, reason, "subscription of '" + pattern + "' failed on the broker: "
                + error));
    }

    @Override
    public void onComplete() {
        end(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.COMPLETED, "the broker's hub closed"));
    }

    /** Demand of the outbound merge. */
    @Override
    public void request(long n) {
        synchronized (this) {
            demand = Operators.addCap(demand, n);
            drain();
        }
    }

    /** The outbound merge ended (the connection closed). */
    @Override
    public void cancel() {
        boolean wasFinished;
        synchronized (this) {
            terminal = true;
            wasFinished = finished;
            finished = true;
            clear();
        }
        cancelUpstream();
        if (!wasFinished) {
            onTerminated.run();
        }
    }

    private void cancelUpstream() {
        Subscription s;
        synchronized (this) {
            s = upstream;
            upstream = null;
        }
        if (s != null) {
            s.cancel();
        }
    }

    /** Ends at once: the waiting frames are dropped, the END frame goes next. */
    private void fail(Frame endFrame) {
        synchronized (this) {
            if (!terminal) {
                clear();
            }
        }
        end(endFrame);
    }

    /** Ends after the waiting frames (none when unsubscribed). */
    private void end(@Nullable Frame endFrame) {
        synchronized (this) {
            if (terminal) {
                return;
            }
            terminal = true;
            upstream = null;
            if (endFrame == null) {
                clear();
            }
            pendingEnd = endFrame;
            drain();
        }
    }

    /** Under the monitor: drops the waiting frames and returns their bytes. */
    private void clear() {
        for (MessageFrame frame : queue) {
            budget.release(sizeOf(frame));
        }
        queue.clear();
        queuedBytes = 0;
    }

    /** @return how many messages were dropped by DROP_OLDEST / DROP_LATEST (tests) */
    synchronized long dropped() {
        return dropped;
    }

    /** @return the bytes of the frames waiting here (tests) */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    @Override
    public String toString() {
        return "BrokerSubscription[" + id + ", " + pattern + "]";
    }
}
