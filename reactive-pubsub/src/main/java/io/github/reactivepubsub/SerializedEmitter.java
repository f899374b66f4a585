package io.github.reactivepubsub;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

/**
 * Serializes emissions from any number of threads without locks, blocking or spinning (queue-drain): the thread
 * that finds the emitter idle emits directly (no queueing on the uncontended path) and then drains what other
 * threads left meanwhile; a thread that finds it busy enqueues and returns. Elements offered by one thread are
 * emitted in the order that thread offered them.
 *
 * <p>The queue is an unbounded lock-free MPSC queue, as in Reactor's own serialized sinks: it holds only what
 * concurrent producers offer while one of them is emitting, and emission never waits on a subscriber (every
 * subscriber has its own bounded buffer), so it drains as fast as the emitting thread can hand elements over.
 */
abstract class SerializedEmitter<T> {

    private static final Logger LOG = Loggers.getLogger(Hub.class);

    private final Queue<T> queue = Queues.<T>unboundedMultiproducer().get();

    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<SerializedEmitter> WIP =
            AtomicIntegerFieldUpdater.newUpdater(SerializedEmitter.class, "wip");

    /** Emits one element; called by one thread at a time. */
    abstract void emitSerialized(T element);

    /** Offers and, if no other thread is emitting, emits (this and anything left by others). */
    final void emit(T element) {
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            safeEmit(element);
            if (WIP.decrementAndGet(this) == 0) {
                return;
            }
        } else {
            queue.offer(element);
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
        }
        drainLoop();
    }

    /** Enqueues without emitting: a later {@link #drain()} (by any thread) emits it, in order. */
    final void enqueue(T element) {
        queue.offer(element);
    }

    /** Emits whatever was enqueued, unless another thread is already emitting (it will). */
    final void drain() {
        if (WIP.getAndIncrement(this) == 0) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        for (;;) {
            T next;
            while ((next = queue.poll()) != null) {
                safeEmit(next);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void safeEmit(T element) {
        try {
            emitSerialized(element);
        } catch (Throwable e) {
            // Subscribers are isolated by their own buffers; reaching here is a bug, never a reason to stop emitting.
            LOG.error("emission of {} failed; continuing with the next element", element, e);
        }
    }
}
