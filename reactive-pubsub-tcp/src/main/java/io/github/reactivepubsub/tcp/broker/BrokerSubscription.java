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
import io.github.reactivepubsub.tcp.wire.DroppedFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
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
 * <p><b>Drop reports (protocol version 2).</b> Each run of consecutive drops is a {@link DropRun} in the queue, at
 * the place of the gap: DROP_OLDEST drops at the head (the run stays first and absorbs every later drop there),
 * DROP_LATEST at the tail (a new run only when a message was queued after the last one). So runs and messages
 * alternate, and the queue holds at most one run more than messages: bounded like them by count (a run's few
 * bytes are not counted in the byte budgets). A run leaves as one DROPPED frame (no credit needed; a count past
 * 2^31 - 1 takes more) in stream order: right before the MESSAGE after it when that one is sent, or, when it is
 * first in the queue and nothing can follow it yet (the client has no credit, or no message is queued behind it),
 * from a report task on the broker's scheduler: at most one is scheduled per subscription, and every drop until it
 * runs (and until the merge asks for the frame) adds to the same run. So a flood of drops costs one frame per turn
 * of that task, never one per message. Once the hub ended the subscription, a first run goes at once. Runs still
 * queued when the subscription is cancelled or fails are discarded with the messages. On a version 1 connection no
 * run is kept: drops are only counted. Without drops all this costs the drain one field check.
 *
 * <p><b>Credit.</b> A frame is handed to the merge only against credit the client granted (CREDIT frames, its
 * subscriber's demand) and demand of the merge (it asks only as the socket takes bytes). Granting credit is O(1),
 * whatever its value.
 *
 * <p><b>End.</b> When the hub ends the subscription (its close) a SUBSCRIPTION_END frame is emitted after the last
 * waiting MESSAGE, then the source completes; on an overflow under ERROR or an encoding failure it is emitted at
 * once. When the client unsubscribes, the hub subscription is cancelled, the waiting frames are dropped (also those
 * of a subscription the hub already ended: an unsubscribed client grants no credit for them) and the source
 * completes without an END frame; when the connection ends, the merge cancels the source, with the same effect. The
 * connection forgets the subscription ({@code onTerminated}) only once the source finished, so credit still reaches
 * the messages waiting before the END frame.
 *
 * <p>Threading: hub signals come from publishing threads, credit from the connection's inbound thread, demand and
 * cancellation from the outbound merge, drop reports from the broker's scheduler; all state is guarded by this
 * object's monitor, held only for counters, the queue and for handing a frame to the merge (which never blocks). A
 * report task is scheduled only after the monitor is released.
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
    /** Version 2: drops are reported to the client (DROPPED frames). */
    private final boolean reportsDrops;
    private final Scheduler scheduler;
    /** MESSAGE frames and {@link DropRun}s, in stream order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int queuedMessages;
    /** How many {@link DropRun}s the queue holds (0 without drops: the drain's only extra check). */
    private int runs;
    /** A report task is scheduled and has not run yet. */
    private boolean reportScheduled;
    /** The report task ran while a run was first: send it without waiting for a message after it. */
    private boolean reportDue;

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
            ByteBudget budget, boolean reportsDrops, Scheduler scheduler, Runnable onTerminated) {
        this.id = id;
        this.pattern = pattern;
        this.bufferSize = bufferSize;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
        this.codec = codec;
        this.budget = budget;
        this.reportsDrops = reportsDrops;
        this.scheduler = scheduler;
        this.onTerminated = onTerminated;
    }

    /** @return the bytes a MESSAGE frame holds while it waits on the broker (estimated, the same at both ends) */
    static long sizeOf(MessageFrame frame) {
        return frame.payloadLength() + 2L * frame.key().toString().length() + FRAME_OVERHEAD;
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
        boolean report;
        synchronized (this) {
            credit = more == CreditFrame.UNBOUNDED ? Long.MAX_VALUE : Operators.addCap(credit, more);
            report = drain();
        }
        if (report) {
            scheduleReport();
        }
    }

    /**
     * The client unsubscribed: cancel the hub subscription and complete this source without an END frame, dropping
     * the frames that wait. Also when the hub had already ended the subscription: its waiting frames (and the END
     * frame behind them) wait for credit that an unsubscribed client never grants.
     */
    void unsubscribe() {
        cancelUpstream();
        synchronized (this) {
            if (terminal) {
                clear();
                pendingEnd = null;
                drain(); // completes the source now (or once the merge subscribes)
                return;
            }
        }
        end(null);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Frame> subscriber) {
        synchronized (this) {
            actual = subscriber;
        }
        subscriber.onSubscribe(this);
        boolean report;
        synchronized (this) {
            report = drain();
        }
        if (report) {
            scheduleReport();
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
        boolean report = false;
        synchronized (this) {
            if (terminal) {
                return;
            }
            overflowed = offer(frame);
            if (overflowed == null) {
                report = drain();
            }
        }
        if (report) {
            scheduleReport();
        }
        if (overflowed != null) {
            cancelUpstream();
            LOG.warn("remote subscriber {} of '{}' overflowed: {}", id, PeerText.escape(pattern.toString(), 256),
                    overflowed);
            fail(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.OVERFLOW, "subscriber of '" + pattern
                    + "' overflowed on the broker: " + overflowed));
        }
    }

    /** Under the monitor: queues the frame, applying the overflow policy; returns why when it overflowed (ERROR). */
    private @Nullable String offer(MessageFrame frame) {
        long size = sizeOf(frame);
        for (;;) {
            String full;
            if (queuedMessages >= bufferSize) {
                full = "its buffer of " + bufferSize + " messages is full";
            } else if (queuedBytes + size > maxBytes) {
                full = "its buffer of " + maxBytes + " bytes cannot take a message of " + size + " bytes";
            } else {
                ByteBudget refused = budget.tryReserve(size);
                if (refused == null) {
                    queue.add(frame);
                    queuedMessages++;
                    queuedBytes += size;
                    return null;
                }
                full = "the " + refused + " cannot take a message of " + size + " bytes";
            }
            if (overflow == Overflow.ERROR) {
                return full;
            }
            if (overflow == Overflow.DROP_OLDEST && queuedMessages > 0) {
                dropOldest();
                continue;
            }
            if (reportsDrops) { // the new message is dropped: the gap is at the tail
                if (queue.peekLast() instanceof DropRun last) {
                    last.count++;
                } else {
                    queue.add(new DropRun());
                    runs++;
                }
            }
            if (dropped++ % 10_000 == 0) {
                LOG.debug("remote subscriber {} of '{}' dropped a message ({}; {} dropped)", id,
                        PeerText.escape(pattern.toString(), 256), full, dropped);
            }
            return null;
        }
    }

    /** Under the monitor: DROP_OLDEST drops the first waiting message; the gap joins the run at the head. */
    private void dropOldest() {
        Object first = queue.poll();
        DropRun run = null;
        if (first instanceof DropRun r) {
            run = r;
            runs--;
            first = queue.poll();
        }
        MessageFrame oldest = (MessageFrame) first;
        long oldestSize = sizeOf(oldest);
        queuedMessages--;
        queuedBytes -= oldestSize;
        budget.release(oldestSize);
        dropped++;
        if (reportsDrops) {
            if (run == null) {
                run = new DropRun();
            } else {
                run.count++;
            }
            if (queue.peek() instanceof DropRun next) { // two gaps that now touch are one
                queue.poll();
                runs--;
                run.count += next.count;
            }
            queue.addFirst(run);
            runs++;
        }
    }

    /**
     * Under the monitor: hands waiting frames to the merge against credit and demand, then the END frame.
     *
     * @return whether a report task must be scheduled (by the caller, once it released the monitor)
     */
    private boolean drain() {
        CoreSubscriber<? super Frame> a = actual;
        if (a == null || finished) {
            return false;
        }
        while (demand > 0 && !queue.isEmpty()) {
            Object head = queue.peek();
            if (runs == 0 || head instanceof MessageFrame) {
                if (credit == 0) {
                    break;
                }
                MessageFrame frame = (MessageFrame) queue.poll();
                queuedMessages--;
                queuedBytes -= sizeOf(frame); // still held in the budget until the connection wrote it
                demand--;
                if (credit != Long.MAX_VALUE) {
                    credit--;
                }
                a.onNext(frame);
            } else {
                DropRun run = (DropRun) head;
                if (!reportDue && !terminal && (credit == 0 || queue.size() == 1)) {
                    break; // nothing can follow it now: later drops may still join it, until the report task runs
                }
                int n = (int) Math.min(run.count, DroppedFrame.MAX_COUNT);
                run.count -= n;
                if (run.count == 0) {
                    queue.poll();
                    runs--;
                    reportDue = false;
                }
                demand--;
                a.onNext(new DroppedFrame(id, n));
            }
        }
        if (runs != 0 && !reportDue && !reportScheduled && !terminal && queue.peek() instanceof DropRun) {
            reportScheduled = true;
            return true;
        }
        if (!terminal || !queue.isEmpty()) {
            return false;
        }
        Frame end = pendingEnd;
        if (end != null) {
            if (demand <= 0) {
                return false; // the merge asks for more once it took what was emitted
            }
            pendingEnd = null;
            demand--;
            a.onNext(end);
        }
        finished = true;
        onTerminated.run(); // only now: CREDIT for the frames still waiting above must reach this subscription
        a.onComplete();
        return false;
    }

    /** Outside the monitor: runs {@link #report} on the broker's scheduler (at once when it refuses work). */
    private void scheduleReport() {
        try {
            scheduler.schedule(this::report);
        } catch (RejectedExecutionException e) {
            LOG.debug("the broker's scheduler refused the drop report of remote subscriber {} of '{}'; reporting now",
                    id, pattern);
            report();
        }
    }

    /** The report task: the run first in the queue goes now (or as soon as the merge asks), with what it gathered. */
    private void report() {
        boolean again;
        synchronized (this) {
            reportScheduled = false;
            if (queue.peek() instanceof DropRun) {
                reportDue = true;
            }
            // Once the due run went, messages after it may go too and leave another run first: that one wants a
            // task of its own (not reachable today, as a drain leaves no message that credit and demand allow).
            again = drain();
        }
        if (again) {
            scheduleReport();
        }
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
        boolean report;
        synchronized (this) {
            demand = Operators.addCap(demand, n);
            report = drain();
        }
        if (report) {
            scheduleReport();
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
            drain(); // terminal: a run goes without a report task
        }
    }

    /** Under the monitor: drops the waiting frames (and unreported runs) and returns their bytes. */
    private void clear() {
        for (Object waiting : queue) {
            if (waiting instanceof MessageFrame frame) {
                budget.release(sizeOf(frame));
            }
        }
        queue.clear();
        queuedMessages = 0;
        runs = 0;
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

    /** Consecutive drops not reported yet, at their place in the queue. Guarded by the subscription's monitor. */
    private static final class DropRun {
        long count = 1;
    }
}
