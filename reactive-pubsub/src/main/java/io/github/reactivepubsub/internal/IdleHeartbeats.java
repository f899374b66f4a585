package io.github.reactivepubsub.internal;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The operator behind {@link IdleTimer#withIdleHeartbeats}: the source's items, and a heartbeat whenever nothing
 * passed for the interval, in one serialized stream, without a queue on the way of the items.
 *
 * <p>A {@code merge} of the source with a timer Flux would queue every item that the source emits from inside a
 * {@code request} (as a store or a sink draining on demand does): a queue offer and poll per item, on the hot path of
 * every sender. Here an item goes straight to the subscriber whenever no heartbeat is being emitted at that moment
 * (one compare-and-set to take the emission over, one decrement to give it back); only an item that meets a heartbeat
 * in flight, or that a heartbeat left without demand, waits in a queue for the drain loop.
 *
 * <h2>Demand</h2>
 * Heartbeats take demand like items. The source is asked for what the subscriber requested less the heartbeats
 * already delivered ({@code requested - beats}, cumulative); since a heartbeat may take a unit the source was already
 * granted, the source can emit a little more than the subscriber still wants: such an item waits for the next
 * request (at most one per heartbeat delivered). A heartbeat when the subscriber has no demand, or while items wait,
 * is dropped: the link is busy, not idle. Unbounded demand is passed on as it is. {@code request} to the source is
 * made outside the emission, so that a source emitting from inside it takes the direct path.
 *
 * <h2>Termination</h2>
 * Completion comes after the waiting items; an error at once (waiting items are discarded). The timer stops when the
 * stream terminates or is cancelled; cancellation discards waiting items ({@link Operators#onDiscard}).
 *
 * <p>Threading: items on the source's thread, heartbeats on the scheduler's, requests and cancel on the subscriber's;
 * the subscriber is signalled by one of them at a time (the work-in-progress counter {@code wip}). Fields marked
 * "owner" are read and written only by the thread that holds the emission.
 */
final class IdleHeartbeats<T> extends FluxOperator<T, T> {

    private final T heartbeat;
    private final IdleTimer.Builder timer;

    IdleHeartbeats(Flux<? extends T> source, T heartbeat, IdleTimer.Builder timer) {
        super(source);
        this.heartbeat = heartbeat;
        this.timer = timer;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new HeartbeatSubscriber<>(actual, heartbeat, timer));
    }

    static final class HeartbeatSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

        private final CoreSubscriber<? super T> actual;
        private final T heartbeat;
        private final IdleTimer.Builder timerSettings;
        /** Items that could not go straight through: single producer (the source), consumed by the owner. */
        private final Queue<T> waiting = Queues.<T>unbounded(Queues.XS_BUFFER_SIZE).get();

        private @Nullable Subscription upstream;
        private @Nullable IdleTimer timer;

        private volatile int wip;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<HeartbeatSubscriber> WIP =
                AtomicIntegerFieldUpdater.newUpdater(HeartbeatSubscriber.class, "wip");
        /** Cumulative demand of the subscriber; {@code Long.MAX_VALUE}: unbounded. */
        private volatile long requested;
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<HeartbeatSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(HeartbeatSubscriber.class, "requested");
        /** A heartbeat is due (set by the timer, taken by the owner). */
        private volatile boolean beatDue;
        private volatile boolean done;
        private @Nullable Throwable error;
        private volatile boolean cancelled;

        /** Owner: items and heartbeats delivered. */
        private long produced;
        /** Owner: heartbeats delivered. */
        private long beats;
        /** Owner: cumulative demand passed to the source. */
        private long granted;
        /** Owner: set once the unbounded demand was passed on. */
        private boolean unbounded;
        /** Demand for the source, computed by owners and passed on serially by {@link #ask}. */
        private volatile long asked;
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<HeartbeatSubscriber> ASKED =
                AtomicLongFieldUpdater.newUpdater(HeartbeatSubscriber.class, "asked");
        private volatile int asking;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<HeartbeatSubscriber> ASKING =
                AtomicIntegerFieldUpdater.newUpdater(HeartbeatSubscriber.class, "asking");

        HeartbeatSubscriber(CoreSubscriber<? super T> actual, T heartbeat, IdleTimer.Builder timerSettings) {
            this.actual = actual;
            this.heartbeat = heartbeat;
            this.timerSettings = timerSettings;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                timer = timerSettings.start(this::beat);
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T item) {
            if (done) {
                Operators.onNextDropped(item, actual.currentContext());
                return;
            }
            if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
                long r = requested;
                if (waiting.isEmpty() && (r == Long.MAX_VALUE || produced < r)) {
                    produced++;
                    actual.onNext(item);
                    touch();
                } else {
                    waiting.offer(item);
                }
                if (WIP.decrementAndGet(this) == 0) {
                    return;
                }
            } else {
                waiting.offer(item);
                if (WIP.getAndIncrement(this) != 0) {
                    return;
                }
            }
            drainLoop();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            error = t;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) { // Reactive Streams 3.9: the stream fails, the source is cancelled
                Subscription s = upstream;
                if (s != null) {
                    s.cancel();
                }
                onError(Exceptions.nullOrNegativeRequestException(n));
                return;
            }
            Operators.addCap(REQUESTED, this, n);
            drain();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            stopTimer();
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            if (WIP.getAndIncrement(this) == 0) {
                Operators.onDiscardQueueWithClear(waiting, actual.currentContext(), null);
            }
        }

        /** The timer found the stream idle for the interval: a heartbeat is due. */
        private void beat() {
            beatDue = true;
            drain();
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            drainLoop();
        }

        /** Owner: delivers what waits, a due heartbeat, the terminal signal; then asks the source for more. */
        private void drainLoop() {
            int missed = 1;
            long ask = 0;
            for (;;) {
                if (cancelled) {
                    Operators.onDiscardQueueWithClear(waiting, actual.currentContext(), null);
                    return;
                }
                long r = requested;
                boolean bounded = r != Long.MAX_VALUE;
                T item;
                while ((!bounded || produced < r) && (item = waiting.poll()) != null) {
                    produced++;
                    actual.onNext(item);
                    touch();
                    if (cancelled) {
                        break;
                    }
                }
                if (cancelled) {
                    continue;
                }
                Throwable failure = error;
                if (failure != null || (done && waiting.isEmpty())) {
                    terminate(failure);
                    return;
                }
                if (beatDue) {
                    beatDue = false;
                    if (waiting.isEmpty() && (!bounded || produced < r)) {
                        produced++;
                        beats++;
                        actual.onNext(heartbeat);
                    }
                }
                if (!unbounded) {
                    if (!bounded) {
                        unbounded = true;
                        ask = Long.MAX_VALUE;
                    } else if (r - beats > granted) {
                        ask += r - beats - granted;
                        granted = r - beats;
                    }
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    break;
                }
            }
            if (ask > 0) {
                ask(ask); // outside the emission: a source emitting from inside request() takes the direct path
            }
        }

        /** Passes demand to the source; calls to its {@code request} are serial (Reactive Streams 2.7). */
        private void ask(long n) {
            Operators.addCap(ASKED, this, n);
            if (ASKING.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                long next = ASKED.getAndSet(this, 0);
                Subscription s = upstream;
                if (next > 0 && s != null && !cancelled) {
                    s.request(next);
                }
                missed = ASKING.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void terminate(@Nullable Throwable failure) {
            stopTimer();
            if (failure != null) {
                Operators.onDiscardQueueWithClear(waiting, actual.currentContext(), null);
                actual.onError(failure);
            } else {
                actual.onComplete();
            }
        }

        private void touch() {
            IdleTimer t = timer;
            if (t != null) {
                t.touch();
            }
        }

        private void stopTimer() {
            IdleTimer t = timer;
            if (t != null) {
                t.dispose();
            }
        }

        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.BUFFERED) {
                return waiting.size();
            }
            if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
                return requested;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.CANCELLED) {
                return cancelled;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }
    }
}
