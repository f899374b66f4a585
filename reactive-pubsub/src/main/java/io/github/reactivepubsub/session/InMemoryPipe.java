package io.github.reactivepubsub.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

/**
 * One direction of an in-memory connection: a bounded FIFO of written buffers between any number of writers and
 * one reader that takes buffers only on demand.
 *
 * <p>Thread-safe. The FIFO, the blocked writers and {@code closed} are guarded by {@code this} (short critical
 * sections, no signal is emitted while holding it). Signals to the reader come only from the {@code wip} drain
 * loop, so they are serialized; a writer is resumed from the drain loop too, outside the lock.
 */
final class InMemoryPipe {

    private final String name;
    private final int capacity;

    // guarded by this
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    private final ArrayDeque<Writer> blocked = new ArrayDeque<>();
    private volatile boolean closed;

    private volatile boolean subscribed;
    private volatile @Nullable Reader reader;

    private volatile int wip;
    private static final AtomicIntegerFieldUpdater<InMemoryPipe> WIP =
            AtomicIntegerFieldUpdater.newUpdater(InMemoryPipe.class, "wip");

    // written by the drain loop only, read by tests
    private volatile long pulledBuffers;
    private volatile long pulledBytes;

    InMemoryPipe(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    Flux<ByteBuffer> receive() {
        return Flux.<ByteBuffer>from(this::subscribeReader);
    }

    Mono<Void> send(Publisher<ByteBuffer> frames) {
        return Mono.create(sink -> Flux.from(frames).subscribe(new Writer(sink)));
    }

    void close() {
        List<Writer> dropped;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dropped = new ArrayList<>(blocked);
            blocked.clear();
        }
        for (Writer w : dropped) {
            w.fail(closedException("a buffer was still waiting for room"));
        }
        drain();
    }

    boolean isClosed() {
        return closed;
    }

    /** @return buffers the reader has taken so far */
    long pulledBuffers() {
        return pulledBuffers;
    }

    /** @return bytes the reader has taken so far */
    long pulledBytes() {
        return pulledBytes;
    }

    /** @return buffers written but not taken yet, including those of blocked writers */
    synchronized int pendingBuffers() {
        return buffers.size() + blocked.size();
    }

    private IllegalStateException closedException(String detail) {
        return new IllegalStateException("in-memory connection " + name + " is closed: " + detail
                + "; expected sends to finish before close()");
    }

    private void subscribeReader(org.reactivestreams.Subscriber<? super ByteBuffer> s) {
        CoreSubscriber<? super ByteBuffer> actual = Operators.toCoreSubscriber(s);
        boolean second;
        synchronized (this) {
            second = subscribed;
            subscribed = true;
        }
        if (second) { // refused outside the lock: no signal is emitted while holding it
            Operators.error(actual, new IllegalStateException(
                    "in-memory connection " + name + " accepts one receive() subscriber; expected a single reader"));
            return;
        }
        Reader r = new Reader(this, actual);
        actual.onSubscribe(r);
        reader = r;
        drain();
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            Reader r = reader;
            if (r != null && !r.done && !r.cancelled) {
                deliver(r);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void deliver(Reader r) {
        long requested = r.requested;
        long emitted = 0;
        while (emitted != requested && !r.cancelled) {
            ByteBuffer next;
            Writer resumed = null;
            boolean completeResumed = false;
            synchronized (this) {
                next = buffers.poll();
                if (next != null && !blocked.isEmpty()) {
                    resumed = blocked.poll();
                    buffers.add(resumed.takeHeld());
                    completeResumed = resumed.completeWhenAccepted;
                }
            }
            if (next == null) {
                break;
            }
            pulledBuffers = pulledBuffers + 1;
            pulledBytes = pulledBytes + next.remaining();
            r.actual.onNext(next);
            emitted++;
            if (resumed != null) {
                resumed.accepted(completeResumed);
            }
        }
        if (emitted != 0 && requested != Long.MAX_VALUE) {
            Reader.REQUESTED.addAndGet(r, -emitted);
        }
        boolean finished;
        synchronized (this) {
            finished = closed && buffers.isEmpty();
        }
        if (finished && !r.cancelled && !r.done) {
            r.done = true;
            r.actual.onComplete();
        }
    }

    /** Accepts a written buffer, or parks the writer holding it when the pipe is full. */
    private void offer(Writer writer, ByteBuffer buffer) {
        boolean accepted;
        boolean isClosed;
        synchronized (this) {
            isClosed = closed;
            accepted = !isClosed && buffers.size() < capacity;
            if (accepted) {
                buffers.add(buffer);
            } else if (!isClosed) {
                writer.held = buffer;
                blocked.add(writer);
            }
        }
        if (isClosed) {
            writer.fail(closedException("cannot send " + buffer.remaining() + " more bytes"));
            return;
        }
        // When parked, the reader may have made room meanwhile: the drain loop then resumes the writer.
        drain();
        if (accepted) {
            writer.accepted(false);
        }
    }

    private static final class Reader implements Subscription {

        static final AtomicLongFieldUpdater<Reader> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Reader.class, "requested");

        final CoreSubscriber<? super ByteBuffer> actual;
        volatile long requested;
        volatile boolean cancelled;
        final InMemoryPipe pipe;
        boolean done;

        Reader(InMemoryPipe pipe, CoreSubscriber<? super ByteBuffer> actual) {
            this.pipe = pipe;
            this.actual = actual;
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                pipe.drain();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final class Writer implements CoreSubscriber<ByteBuffer> {

        private final MonoSink<Void> sink;
        private @Nullable Subscription upstream;
        // guarded by the pipe
        @Nullable ByteBuffer held;
        boolean completeWhenAccepted;

        Writer(MonoSink<Void> sink) {
            this.sink = sink;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            sink.onCancel(s::cancel);
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer buffer) {
            offer(this, buffer);
        }

        @Override
        public void onError(Throwable t) {
            sink.error(t);
        }

        @Override
        public void onComplete() {
            synchronized (InMemoryPipe.this) {
                if (held != null) {
                    completeWhenAccepted = true;
                    return;
                }
            }
            sink.success();
        }

        ByteBuffer takeHeld() {
            ByteBuffer b = held;
            held = null;
            if (b == null) {
                throw new IllegalStateException("blocked writer of " + name + " holds no buffer");
            }
            return b;
        }

        void accepted(boolean complete) {
            if (complete) {
                sink.success();
            } else if (upstream != null) {
                upstream.request(1);
            }
        }

        void fail(Throwable error) {
            if (upstream != null) {
                upstream.cancel();
            }
            sink.error(error);
        }
    }
}
