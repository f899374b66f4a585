package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.internal.Checks;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * {@link MessageStore#inMemory(int, long)}: a ring of the most recent messages, at most {@code capacity} of them
 * and at most {@code maxBytes} bytes (payloads plus {@value #MESSAGE_OVERHEAD} bytes each), the newest always kept.
 *
 * <p>Appends are serialized by a lock; they evict the oldest messages until the new one fits (advancing
 * {@link #first}, volatile, before clearing or reusing a slot), then publish the new message by writing {@link #next}
 * (volatile) after its ring slot. Readers are lock-free: (1) a reader reads {@code next} and only then the slot of a
 * number below it, so the slot write happened-before its read; (2) after reading the slot it reads {@code first}:
 * if the number is below it, or the slot was cleared or reused ({@code null}, another number), the message counts as
 * evicted.
 */
final class InMemoryMessageStore implements MessageStore {

    /** What one retained message costs beyond its payload: the record, the array header, the ring slot. */
    static final int MESSAGE_OVERHEAD = 48;

    private final @Nullable SequencedMessage[] ring;
    private final int capacity;
    private final long maxBytes;
    /** Under the append lock. */
    private long retainedBytes;
    private final Object appendLock = new Object();
    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();

    private volatile long next = 1;
    private volatile long first = 1;
    private volatile boolean ended;

    InMemoryMessageStore(int capacity, long maxBytes) {
        this.capacity = Checks.atLeast("capacity", capacity, 1);
        this.maxBytes = Checks.atLeast("maxBytes", maxBytes, 1L);
        this.ring = new SequencedMessage[capacity];
    }

    @Override
    public long append(byte[] payload) {
        long seq;
        synchronized (appendLock) {
            if (ended) {
                throw new IllegalStateException("the session's stream was ended; no more messages can be appended");
            }
            seq = next;
            long size = sizeOf(payload);
            long oldest = first;
            while (oldest < seq && (seq - oldest >= capacity || retainedBytes + size > maxBytes)) {
                retainedBytes -= ring[index(oldest)].payloadLength() + (long) MESSAGE_OVERHEAD;
                oldest++;
                first = oldest; // before the slot is cleared or reused (see the class notes)
                ring[index(oldest - 1)] = null;
            }
            ring[index(seq)] = new SequencedMessage(seq, payload);
            retainedBytes += size;
            next = seq + 1;
        }
        for (Reader r : readers) {
            r.drain();
        }
        return seq;
    }

    @Override
    public long nextSequence() {
        return next;
    }

    @Override
    public long firstSequence() {
        return first;
    }

    /** @return the bytes retained now (payloads plus overhead) */
    long retainedBytes() {
        synchronized (appendLock) {
            return retainedBytes;
        }
    }

    private static long sizeOf(byte[] payload) {
        return payload.length + (long) MESSAGE_OVERHEAD;
    }

    @Override
    public void end() {
        synchronized (appendLock) {
            ended = true;
        }
        for (Reader r : readers) {
            r.drain();
        }
    }

    @Override
    public boolean isEnded() {
        return ended;
    }

    @Override
    public Flux<SequencedMessage> messages(long from) {
        if (from < 1 || from > next) {
            throw new IllegalArgumentException("cannot read from " + from + ": expected 1.." + next);
        }
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super SequencedMessage> actual) {
                Reader reader = new Reader(actual, from);
                readers.add(reader);
                actual.onSubscribe(reader);
                reader.drain();
            }
        };
    }

    private int index(long seq) {
        return (int) ((seq - 1) % capacity);
    }

    /** @return the message numbered {@code seq} (below {@link #next}), or {@code null} when it was evicted */
    private @Nullable SequencedMessage read(long seq) {
        SequencedMessage m = ring[index(seq)];
        return seq < first || m == null || m.sequence() != seq ? null : m;
    }

    /** One subscriber's cursor; the drain loop is serialized by {@link #wip}. */
    private final class Reader implements org.reactivestreams.Subscription {
        private final CoreSubscriber<? super SequencedMessage> actual;
        private long cursor;
        private volatile boolean cancelled;
        private boolean done;

        volatile long requested;
        static final AtomicLongFieldUpdater<Reader> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Reader.class, "requested");

        volatile int wip;
        static final AtomicIntegerFieldUpdater<Reader> WIP = AtomicIntegerFieldUpdater.newUpdater(Reader.class, "wip");

        Reader(CoreSubscriber<? super SequencedMessage> actual, long from) {
            this.actual = actual;
            this.cursor = from;
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
            cancelled = true;
            readers.remove(this);
        }

        void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            do {
                if (done || cancelled) {
                    return;
                }
                long r = requested;
                long emitted = 0;
                while (emitted != r && !cancelled) {
                    boolean isEnded = ended;
                    if (cursor >= next) {
                        if (isEnded && cursor >= next) {
                            finish(null);
                            return;
                        }
                        break;
                    }
                    SequencedMessage m = read(cursor);
                    if (m == null) {
                        finish(new MessagesEvictedException(cursor, firstSequence()));
                        return;
                    }
                    cursor++;
                    emitted++;
                    try {
                        actual.onNext(m);
                    } catch (Throwable t) {
                        cancel();
                        actual.onError(Operators.onOperatorError(t, actual.currentContext()));
                        Exceptions.throwIfJvmFatal(t);
                        return;
                    }
                }
                if (emitted == r && ended && cursor >= next && !cancelled) {
                    finish(null);
                    return;
                }
                if (emitted != 0) {
                    Operators.produced(REQUESTED, this, emitted);
                }
                missed = WIP.addAndGet(this, -missed);
            } while (missed != 0);
        }

        private void finish(@Nullable Throwable error) {
            done = true;
            readers.remove(this);
            if (error == null) {
                actual.onComplete();
            } else {
                actual.onError(error);
            }
        }
    }
}
