package io.github.reactivepubsub;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Serializes emissions from any number of threads without locks, blocking or spinning: the thread that finds the
 * emitter idle takes it ({@code wip}, one CAS), emits directly (no queueing on the uncontended path), drains what
 * other threads left meanwhile and releases it; a thread that finds it busy enqueues and returns after a mere read
 * of {@code wip} (no atomic operation on the contended line). Elements offered by one thread are emitted in the
 * order that thread offered them.
 *
 * <p>The queue is an unbounded lock-free MPSC queue ({@link MpscQueue}), as in Reactor's own serialized sinks: it
 * holds only what concurrent producers offer while one of them is emitting, and emission never waits on a subscriber
 * (every subscriber has its own bounded buffer), so it drains as fast as the emitting thread can hand elements over.
 * Nothing here spins: an element whose producer has not linked it yet is left to that producer, which takes the
 * emitter over once it has (see {@link #drainAndRelease()}).
 */
abstract class SerializedEmitter<T> {

    private static final Logger LOG = Loggers.getLogger(Hub.class);

    private final MpscQueue<T> queue = new MpscQueue<>();

    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<SerializedEmitter> WIP =
            AtomicIntegerFieldUpdater.newUpdater(SerializedEmitter.class, "wip");

    /** Emits one element; called by one thread at a time. */
    abstract void emitSerialized(T element);

    /** Offers and, if no other thread is emitting, emits (this and anything left by others). */
    final void emit(T element) {
        // The queue must be empty too: with wip released before the re-check, an idle emitter may still hold this
        // thread's own earlier element, which must go first. That element's offer precedes this read in program
        // order, so a non-empty queue is always seen here.
        if (wip == 0 && queue.isEmpty() && WIP.compareAndSet(this, 0, 1)) {
            safeEmit(element);
        } else {
            queue.offer(element);
            // Only a read while another thread emits: that thread re-checks the queue after releasing (see drain).
            if (wip != 0 || !WIP.compareAndSet(this, 0, 1)) {
                return;
            }
        }
        drainAndRelease();
    }

    /** Enqueues without emitting: a later {@link #drain()} (by any thread) emits it, in order. */
    final void enqueue(T element) {
        queue.offer(element);
    }

    /** Emits whatever was enqueued, unless another thread is already emitting (it will). */
    final void drain() {
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            drainAndRelease();
        }
    }

    /**
     * Called holding {@code wip}: emits everything queued and linked, releases {@code wip}, and takes it back if
     * something was linked meanwhile. Why nothing is left behind: (1) a thread that enqueues links its element (a
     * volatile write of the previous node's {@code next}) before it reads {@code wip}; (2) this thread releases
     * {@code wip} (a volatile write) before it reads the link; (3) volatile accesses are totally ordered, so either
     * the enqueuing thread reads {@code wip == 0} and takes over, or this thread sees its element and takes
     * {@code wip} back (if both try, one wins the CAS and drains). An element queued but not linked yet (its
     * producer between its exchange and its link) stops the drain, and everything behind it waits for that producer,
     * which (1) takes over after linking: no thread ever waits for another.
     */
    private void drainAndRelease() {
        for (;;) {
            T next;
            while ((next = queue.poll()) != null) {
                safeEmit(next);
            }
            wip = 0;
            if (!queue.hasLinked() || !WIP.compareAndSet(this, 0, 1)) {
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
