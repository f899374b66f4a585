package io.github.reactivepubsub;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * One subscriber's bounded buffer between a hot source (a topic's sink) and the subscriber.
 *
 * <p>Requests everything upstream; delivers downstream within the downstream's demand; holds at most
 * {@code capacity} elements; applies the overflow policy; isolates a downstream that throws. Upstream signals are
 * serialized by the source; downstream delivery is serialized by the {@code wip} counter (queue-drain).
 *
 * <p>Memory ordering: the deque is only touched inside {@code synchronized (queue)}, except in the fast path of
 * {@link #onNext}, which reads {@code queue.isEmpty()} while holding {@code wip}: (1) only onNext adds, (2) only the
 * holder of {@code wip} polls, (3) so while onNext holds {@code wip} nobody else changes the deque, and the last
 * holder's changes are visible through its release of {@code wip} (volatile write) and our CAS (volatile read).
 * DROP_OLDEST's eviction polls from onNext, under the monitor, so it is consistent with a concurrent drain.
 *
 * <p>(4) The unbounded fast path of {@link #onNext} delivers without taking {@code wip} when demand is
 * {@code Long.MAX_VALUE}, the deque is empty ({@code buffered}, its size, is 0) and {@code wip} is 0, read in that
 * order. Another thread can only deliver from inside a drain, holding {@code wip}, and a drain delivers only (a)
 * polled elements or (b) a terminal signal. (a) A drainer takes {@code wip} before it polls and sets {@code buffered}
 * to the deque's new size after polling, so if our read of {@code buffered} sees the 0 a drainer wrote after polling
 * the last element, our later read of {@code wip} (volatile reads are not reordered) sees that drainer's
 * {@code wip}, or its release once it has delivered. Reading {@code wip} first would be wrong: a drainer could take
 * {@code wip}, poll and start delivering between the two reads (JCStress caught it in
 * {@code BoundedBufferStress.UnboundedRequest}: about 1 run in 5 million delivered two elements at once, out of
 * order). If nothing was buffered, a drain finds nothing to deliver, since only onNext adds. (b) {@code done} is only
 * set by onComplete / onError, which the source serializes after this onNext, or by an overflow, which happens in
 * onNext too. Demand cannot go down from {@code Long.MAX_VALUE} (it is never decremented there).
 */
final class BoundedBufferSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

    /** Looked up when needed (only on error paths), so that it is whatever logger factory is current then. */
    private static Logger log() {
        return Loggers.getLogger(Hub.class);
    }

    private final CoreSubscriber<? super T> actual;
    private final String name;
    private final int capacity;
    private final Overflow overflow;
    private final Consumer<Object> dropListener;
    private final @Nullable Listener listener;
    private final ArrayDeque<T> queue;

    private @Nullable Subscription upstream;

    private volatile long requested;
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<BoundedBufferSubscriber> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(BoundedBufferSubscriber.class, "requested");

    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<BoundedBufferSubscriber> WIP =
            AtomicIntegerFieldUpdater.newUpdater(BoundedBufferSubscriber.class, "wip");

    private volatile int terminated;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<BoundedBufferSubscriber> TERMINATED =
            AtomicIntegerFieldUpdater.newUpdater(BoundedBufferSubscriber.class, "terminated");

    /** The deque's size, written under its monitor: lets the fast path skip the deque's cache line. */
    private volatile int buffered;
    private volatile boolean done;
    private volatile boolean cancelled;
    /** Set before {@code done}; read after it. Overflow errors are signalled at once, others after the buffer. */
    private @Nullable Throwable error;
    private boolean errorFirst;

    /** What the owner of the buffer (the hub) learns of it; called on the threads that cause the events. */
    interface Listener {

        /** The subscriber terminated (cancel, error, completion or a throwing subscriber): called exactly once. */
        void terminated();

        /** The buffer dropped one element under its overflow policy. */
        void dropped();
    }

    BoundedBufferSubscriber(CoreSubscriber<? super T> actual, String name, SubscribeOptions options,
            @Nullable Listener listener) {
        this.actual = actual;
        this.name = name;
        this.capacity = options.bufferSize();
        this.overflow = options.overflow();
        this.dropListener = options.dropListener();
        this.listener = listener;
        this.queue = new ArrayDeque<>(Math.min(capacity, 64));
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
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T t) {
        // Kept small so that the JIT inlines it into the sink's emission loop.
        if (requested == Long.MAX_VALUE && buffered == 0 && wip == 0 && !done && !cancelled) {
            // Unbounded demand, nothing buffered, nobody draining: deliver without any atomic operation. See (4)
            // in the class notes for why no other thread can deliver concurrently, and why buffered is read first.
            emit(t);
        } else {
            onNextSlow(t);
        }
    }

    private void onNextSlow(T t) {
        if (done) {
            Operators.onNextDropped(t, actual.currentContext());
            return;
        }
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            long r = requested;
            if (r != 0L && !cancelled && buffered == 0) {
                if (!emit(t)) {
                    return;
                }
                if (r != Long.MAX_VALUE) {
                    REQUESTED.decrementAndGet(this);
                }
                if (WIP.decrementAndGet(this) == 0) {
                    return;
                }
            } else {
                offer(t); // still holding wip: drain what is buffered, or signal an overflow error
            }
        } else {
            offer(t);
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
        }
        drainLoop();
    }

    /** Buffers {@code t}, applying the overflow policy when the buffer is full. */
    private void offer(T t) {
        T evicted = null;
        boolean overflowed = false;
        synchronized (queue) {
            if (queue.size() < capacity) {
                queue.offer(t);
                buffered = queue.size();
                return;
            }
            switch (overflow) {
                case DROP_LATEST -> evicted = t;
                case DROP_OLDEST -> {
                    evicted = queue.poll();
                    queue.offer(t);
                }
                case ERROR -> {
                    evicted = t;
                    overflowed = true;
                }
            }
        }
        dropped(evicted);
        if (overflowed) {
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            error = new OverflowException(name, capacity);
            errorFirst = true;
            done = true;
        }
    }

    private void dropped(@Nullable T element) {
        if (element == null) {
            return;
        }
        if (listener != null) {
            listener.dropped();
        }
        try {
            dropListener.accept(element);
        } catch (Throwable e) {
            log().warn("drop listener of '{}' threw; ignored", name, e);
        }
        Operators.onDiscard(element, actual.currentContext());
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
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
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
        terminate();
        if (WIP.getAndIncrement(this) == 0) {
            clear();
        }
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        drainLoop();
    }

    private void drainLoop() {
        int missed = 1;
        for (;;) {
            long r = requested;
            long e = 0L;
            while (e != r) {
                boolean d = done;
                T v;
                synchronized (queue) {
                    v = queue.poll();
                    buffered = queue.size();
                }
                if (checkTerminated(d, v == null)) {
                    if (v != null) {
                        Operators.onDiscard(v, actual.currentContext());
                    }
                    return;
                }
                if (v == null) {
                    break;
                }
                if (!emit(v)) {
                    return;
                }
                e++;
            }
            if (e == r && checkTerminated(done, isEmpty())) {
                return;
            }
            if (e != 0L && r != Long.MAX_VALUE) {
                REQUESTED.addAndGet(this, -e);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private boolean isEmpty() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    private boolean checkTerminated(boolean d, boolean empty) {
        if (cancelled) {
            clear();
            return true;
        }
        if (!d) {
            return false;
        }
        Throwable ex = error;
        if (ex != null && errorFirst) {
            clear();
            terminate();
            actual.onError(ex);
            return true;
        }
        if (empty) {
            terminate();
            if (ex != null) {
                actual.onError(ex);
            } else {
                actual.onComplete();
            }
            return true;
        }
        return false;
    }

    /** Delivers one element; false when the subscriber threw (it is then cancelled and told). */
    private boolean emit(T v) {
        try {
            actual.onNext(v);
            return true;
        } catch (Throwable ex) {
            subscriberThrew(ex);
            return false;
        }
    }

    private void subscriberThrew(Throwable ex) {
        log().error("subscriber of '{}' threw from onNext; cancelling that subscriber alone", name, ex);
        cancelled = true;
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
        clear();
        terminate();
        try {
            actual.onError(ex);
        } catch (Throwable again) {
            log().error("subscriber of '{}' threw again from onError; ignored", name, again);
        }
    }

    private void clear() {
        synchronized (queue) {
            Operators.onDiscardMultiple(queue, actual.currentContext());
            queue.clear();
            buffered = 0;
        }
    }

    /** Tells the listener exactly once that the subscriber terminated (cancel, error, completion, a throw). */
    private void terminate() {
        if (listener != null && TERMINATED.compareAndSet(this, 0, 1)) {
            listener.terminated();
        }
    }

    /** @return how full the buffer is now, from 0 (empty) to 1 (full); read without locks */
    double fill() {
        return (double) buffered / capacity;
    }

    @Override
    @SuppressWarnings("rawtypes") // the signature Scannable declares
    public @Nullable Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return upstream;
        }
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.CAPACITY) {
            return capacity;
        }
        if (key == Attr.BUFFERED) {
            synchronized (queue) {
                return queue.size();
            }
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requested;
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.TERMINATED) {
            return done && isEmpty();
        }
        if (key == Attr.ERROR) {
            return error;
        }
        if (key == Attr.NAME) {
            return name;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }
}
