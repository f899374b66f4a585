package io.github.reactivepubsub;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded lock-free multi-producer single-consumer linked queue (Vyukov's), with its producer and consumer
 * ends on separate cache lines.
 *
 * <p>Why not Reactor's {@code Queues.unboundedMultiproducer()}: it is the same algorithm, but its producer and
 * consumer fields share one cache line, so with one thread offering and another polling (the hub's contended
 * publishing) every poll invalidated the line every offer writes. Core depends on reactor-core only, so the padding
 * is done here, JCTools-style, through the class hierarchy (HotSpot lays a superclass's fields out first).
 *
 * <p>Thread safety: {@link #offer} from any thread; {@link #poll} from one thread at a time (the holder of the
 * emitter's {@code wip}); {@link #isEmpty} from any thread (a snapshot).
 */
final class MpscQueue<T> extends MpscQueueConsumer<T> {

    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27;

    MpscQueue() {
        Node<T> stub = new Node<>(null);
        CONSUMER.lazySet(this, stub);
        PRODUCER.lazySet(this, stub);
    }

    /**
     * Offers an element: one atomic exchange of the producer end, then links the previous node to it.
     *
     * @param element the element (not null)
     */
    @SuppressWarnings("unchecked")
    void offer(T element) {
        Node<T> node = new Node<>(element);
        Node<T> previous = (Node<T>) PRODUCER.getAndSet(this, node);
        // A volatile write, not a lazySet: the emitter relies on a producer's link being visible before the
        // producer's next volatile read (of the emitter's wip). Between the exchange and this link, a poll returns
        // null although isEmpty() is false.
        previous.next = node;
    }

    /** @return the oldest element, or null when empty or when its producer has not linked it yet */
    @Nullable T poll() {
        Node<T> current = consumerNode;
        Node<T> next = current.next;
        if (next == null) {
            return null;
        }
        T value = next.value;
        next.value = null; // next becomes the stub: let its element go
        // Ordered, not volatile: consumers hand over through the emitter's wip; other threads only take snapshots.
        CONSUMER.lazySet(this, next);
        return value;
    }

    /** @return whether nothing is queued (or being linked) at this moment */
    boolean isEmpty() {
        return consumerNode == producerNode;
    }

    /** @return whether {@link #poll} would return an element now (one is queued and linked); consumer only */
    boolean hasLinked() {
        return consumerNode.next != null;
    }

    static final class Node<T> {

        @Nullable T value;
        volatile @Nullable Node<T> next;

        Node(@Nullable T value) {
            this.value = value;
        }
    }
}

/** Padding before the producer end. */
abstract class MpscQueuePad0 {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The producer end: the last node, exchanged by every offer. */
abstract class MpscQueueProducer<T> extends MpscQueuePad0 {

    @SuppressWarnings("rawtypes")
    static final AtomicReferenceFieldUpdater<MpscQueueProducer, MpscQueue.Node> PRODUCER =
            AtomicReferenceFieldUpdater.newUpdater(MpscQueueProducer.class, MpscQueue.Node.class, "producerNode");

    volatile MpscQueue.Node<T> producerNode;
}

/** Padding between the two ends. */
abstract class MpscQueuePad1<T> extends MpscQueueProducer<T> {
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer end: the stub node before the oldest element, written by the consumer only. */
abstract class MpscQueueConsumer<T> extends MpscQueuePad1<T> {

    @SuppressWarnings("rawtypes")
    static final AtomicReferenceFieldUpdater<MpscQueueConsumer, MpscQueue.Node> CONSUMER =
            AtomicReferenceFieldUpdater.newUpdater(MpscQueueConsumer.class, MpscQueue.Node.class, "consumerNode");

    volatile MpscQueue.Node<T> consumerNode;
}
