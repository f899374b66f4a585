package io.github.reactivepubsub.facade;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.InvalidKeyException;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.SubscribeOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Receives the messages of one named topic of a hub (dask.distributed's {@code Sub}), by pulling them one at a time:
 * {@link #next()} (a {@link Mono}), {@link #get(Duration)} (blocking), blocking iteration, or {@link #asFlux()}.
 *
 * <pre>{@code
 * try (Sub<String> sub = Sub.create(hub, "chat.room1")) {
 *     Pub.<String>create(hub, "chat.room1").put("hello");
 *     String first = sub.get(Duration.ofSeconds(1));   // "hello"
 *     sub.next().subscribe(System.out::println);       // the next message, when it comes
 * }
 * }</pre>
 *
 * <h2>Buffering and overflow</h2>
 * A {@code Sub} subscribes to the hub when it is created, so every message put after {@code create} returns is kept
 * for it until taken — in the hub's bounded buffer for this subscriber ({@link SubscribeOptions#bufferSize()}
 * messages, the hub's defaults unless given to {@link #create(Hub, String, SubscribeOptions)}). The {@code Sub}
 * requests a message from that buffer only when a caller waits for one, so the buffer holds exactly what was put and
 * not yet taken. When it is full, the options' {@link Overflow} policy applies: {@link Overflow#ERROR} (the default)
 * ends the {@code Sub} with an {@link OverflowException} that every later {@code get}, {@code next} and iteration
 * signals, and unsubscribes it; {@link Overflow#DROP_OLDEST} / {@link Overflow#DROP_LATEST} drop the oldest buffered
 * / the arriving message and tell the options' {@link SubscribeOptions#onDrop drop listener}.
 *
 * <h2>Threading</h2>
 * Safe from any thread. Several callers may take from one {@code Sub} at once (each message goes to exactly one of
 * them, in the order they started waiting). {@link #get(Duration)} and iteration <em>block</em> the calling thread
 * while no message is buffered: call them from your own threads or {@code Schedulers.boundedElastic()}, never from a
 * Reactor non-blocking thread ({@code Schedulers.parallel()}, Netty event loops), where BlockHound rightly rejects
 * them with a {@code BlockingOperationError}. {@link #next()} and {@link #asFlux()} never block.
 *
 * <h2>End</h2>
 * {@link #close()} unsubscribes from the hub and discards the messages buffered for this {@code Sub}; pending and
 * later takes end (empty {@code Mono}, finished iteration, {@link IllegalStateException} from {@code get}). When the
 * hub closes, the messages already buffered can still be taken, then the {@code Sub} ends the same way.
 *
 * @param <T> the message type (not checked: publishers decide what they put)
 */
public final class Sub<T> implements Iterable<T>, AutoCloseable {

    private final Key topic;

    private final Object lock = new Object();
    /** Callers waiting for a message, oldest first; non-empty only when {@code ready} is empty. Guarded by lock. */
    private final ArrayDeque<Taker<T>> takers = new ArrayDeque<>();
    /**
     * {@link #next()} subscribers that have not requested yet: they take nothing, but learn at once, without demand,
     * that the {@code Sub} has nothing left (closed, or ended with nothing buffered). Guarded by lock.
     */
    private final ArrayList<SinkTaker<T>> idle = new ArrayList<>();
    /** Messages received for a caller that gave up meanwhile; taken before anything new. Guarded by lock. */
    private final ArrayDeque<T> ready = new ArrayDeque<>();
    /** Messages requested from the hub and not yet received. Guarded by lock. */
    private long outstanding;
    private @Nullable Subscription upstream;
    private boolean closed;
    /** The hub ended the subscription (hub closed, or overflow); with {@code failure} when it failed. */
    private boolean ended;
    private @Nullable Throwable failure;

    private Sub(Hub hub, Key topic, @Nullable SubscribeOptions options) {
        Objects.requireNonNull(hub, "hub");
        this.topic = topic.requireConcrete();
        Flux<Message<T>> messages = options == null ? hub.subscribe(topic) : hub.subscribe(topic, options);
        messages.subscribe(new Receiver());
    }

    /**
     * Subscribes to a named topic with the hub's default {@link SubscribeOptions}; messages put from now on are
     * buffered for this {@code Sub} until taken or until it is closed.
     *
     * <pre>{@code
     * Sub<String> sub = Sub.create(hub, "chat.room1");
     * }</pre>
     *
     * @param hub the hub to subscribe to
     * @param topic the dotted topic name, a concrete key
     * @param <T> the message type
     * @return the subscriber, already counted by {@link Pub#subscribers()} for an in-process hub
     * @throws InvalidKeyException when the name is not a well-formed concrete key
     */
    public static <T> Sub<T> create(Hub hub, String topic) {
        return new Sub<>(hub, Key.parse(topic), null);
    }

    /**
     * Subscribes to a named topic with its own buffer size and overflow policy (see the class notes).
     *
     * <pre>{@code
     * Sub<Tick> ticks = Sub.create(hub, "ticks.GOOGL",
     *         SubscribeOptions.defaults().bufferSize(10_000).overflow(Overflow.DROP_OLDEST));
     * }</pre>
     *
     * @param hub the hub to subscribe to
     * @param topic the dotted topic name, a concrete key
     * @param options the buffer size, overflow policy and drop listener of this subscriber
     * @param <T> the message type
     * @return the subscriber
     * @throws InvalidKeyException when the name is not a well-formed concrete key
     */
    public static <T> Sub<T> create(Hub hub, String topic, SubscribeOptions options) {
        return new Sub<>(hub, Key.parse(topic), Objects.requireNonNull(options, "options"));
    }

    /**
     * Subscribes to a topic given as a key, with the hub's default {@link SubscribeOptions}.
     *
     * @param hub the hub to subscribe to
     * @param topic the topic, a concrete key
     * @param <T> the message type
     * @return the subscriber
     * @throws InvalidKeyException when the key is a pattern
     */
    public static <T> Sub<T> create(Hub hub, Key topic) {
        return new Sub<>(hub, topic, null);
    }

    /**
     * Subscribes to a topic given as a key, with its own buffer size and overflow policy.
     *
     * @param hub the hub to subscribe to
     * @param topic the topic, a concrete key
     * @param options the buffer size, overflow policy and drop listener of this subscriber
     * @param <T> the message type
     * @return the subscriber
     * @throws InvalidKeyException when the key is a pattern
     */
    public static <T> Sub<T> create(Hub hub, Key topic, SubscribeOptions options) {
        return new Sub<>(hub, topic, Objects.requireNonNull(options, "options"));
    }

    /** @return the topic this subscriber receives */
    public Key topic() {
        return topic;
    }

    /**
     * The next message, without blocking. Each subscription to the returned {@code Mono} takes one message, when it
     * requests (not before); cancelling it before a message arrives gives up its place without losing a message,
     * except one handed to it at the very moment of cancellation (then dropped through Reactor's discard hook).
     *
     * <p>The {@code Mono} completes empty when the {@code Sub} is closed (before or while waiting) or when the hub
     * closed and every buffered message was taken, and fails with the {@link OverflowException} that ended the
     * {@code Sub} under {@link Overflow#ERROR}. These ends need no demand (Reactive Streams §1.9): a subscriber that
     * has not requested yet is told right after {@code onSubscribe}, or as soon as the {@code Sub} has nothing left.
     * It signals on the thread that put the message (or on the subscribing thread when one was already buffered).
     *
     * @return a {@code Mono} of the next message
     */
    public Mono<T> next() {
        return Mono.create(sink -> {
            SinkTaker<T> taker = new SinkTaker<>(this, sink);
            sink.onCancel(() -> {
                taker.cancelled = true;
                remove(taker);
            });
            if (watch(taker)) {
                sink.onRequest(n -> taker.start());
            }
        });
    }

    /**
     * Takes the next message, blocking until one is put, the timeout elapses, or the {@code Sub} ends.
     *
     * <p>Blocking: do not call it on a Reactor non-blocking thread ({@code Schedulers.parallel()}, an event loop);
     * when it has to wait there, BlockHound (if installed) rightly fails it with {@code BlockingOperationError}.
     * A caller that gives up (timeout, interrupt) loses no message: one arriving at that moment is kept for the next
     * take.
     *
     * @param timeout how long to wait at most; zero or negative only takes a message already buffered
     * @return the next message
     * @throws TimeoutException when no message arrived within the timeout (the message names the topic)
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws IllegalStateException when the {@code Sub} is closed (before or while waiting) or its hub closed and
     *     every buffered message was taken
     * @throws OverflowException when the {@code Sub} ended because its buffer overflowed under {@link Overflow#ERROR}
     */
    public T get(Duration timeout) throws TimeoutException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        FutureTaker<T> taker = new FutureTaker<>();
        take(taker);
        T message;
        try {
            message = await(taker, timeout);
        } catch (TimeoutException e) {
            throw new TimeoutException("no message on topic '" + topic + "' within " + timeout);
        }
        if (message == null) {
            throw endedException();
        }
        return message;
    }

    /**
     * A blocking iterator over the messages, in the order they were put, ending when the {@code Sub} is closed or its
     * hub closes (after the buffered messages). Each message goes to one iterator (or other taker) only.
     *
     * <p>Blocking: {@code hasNext()} waits for the next message; do not iterate on a Reactor non-blocking thread
     * (BlockHound rightly rejects it). {@code hasNext()} throws the {@link OverflowException} that ended the
     * {@code Sub}, and an {@link IllegalStateException} (with the thread's interrupt flag set again) when the thread
     * is interrupted while waiting.
     *
     * @return a new iterator taking from this {@code Sub}
     */
    @Override
    public Iterator<T> iterator() {
        return new BlockingIterator();
    }

    /**
     * The messages as a {@link Flux}, taking one from this {@code Sub} per unit of demand (a subscriber that requests
     * nothing takes nothing, and the messages stay buffered under the overflow policy). It completes when the
     * {@code Sub} is closed or its hub closes (after the buffered messages) and fails with the
     * {@link OverflowException} that ended the {@code Sub}; like {@link #next()}, it signals these ends without
     * waiting for demand (right after {@code onSubscribe} when the {@code Sub} has already ended). Cancelling it gives
     * up taking; it does not close the {@code Sub}. Never blocks; signals on the thread that put the message or the
     * one that requested.
     *
     * @return a Flux of the messages
     */
    public Flux<T> asFlux() {
        return next().repeat(this::mayHaveMore);
    }

    /**
     * Ends this subscriber: unsubscribes from the hub (so {@link Pub#subscribers()} no longer counts it), discards
     * the messages buffered for it, and ends pending takes ({@code next()} completes empty, iteration finishes,
     * {@code get} throws {@link IllegalStateException}). Idempotent; safe from any thread; never blocks.
     */
    @Override
    public void close() {
        Subscription s;
        List<Taker<T>> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = upstream;
            waiting = removeTakersLocked(true);
            ready.clear();
        }
        if (s != null) {
            s.cancel();
        }
        endAll(waiting, null);
    }

    @Override
    public String toString() {
        return "Sub[" + topic + "]";
    }

    /** Callers currently waiting (introspection for tests). */
    int waiting() {
        synchronized (lock) {
            return takers.size();
        }
    }

    private boolean mayHaveMore() {
        synchronized (lock) {
            return mayHaveMoreLocked();
        }
    }

    private boolean mayHaveMoreLocked() {
        return !closed && (!ended || !ready.isEmpty());
    }

    /** Serves a taker at once (a buffered message, or the end) or queues it and requests one more if needed. */
    private void take(Taker<T> taker) {
        T message = null;
        boolean end = false;
        Throwable error = null;
        Subscription s = null;
        long n = 0;
        List<Taker<T>> idleAtEnd = List.of();
        synchronized (lock) {
            if (closed) {
                end = true;
            } else if ((message = ready.poll()) != null) {
                if (ended && ready.isEmpty()) {
                    idleAtEnd = removeTakersLocked(true); // the last message after the end: nothing left now
                    error = failure;
                }
            } else {
                if (ended) {
                    end = true;
                    error = failure;
                } else {
                    takers.add(taker);
                    if (takers.size() > outstanding) {
                        n = takers.size() - outstanding;
                        outstanding += n;
                        s = upstream; // when null, onSubscribe requests the outstanding total
                    }
                }
            }
        }
        if (message != null) {
            taker.onMessage(message);
            endAll(idleAtEnd, error);
        } else if (end) {
            taker.onEnd(error);
        } else if (s != null) {
            s.request(n); // may deliver synchronously, on this thread
        }
    }

    /**
     * Removes and returns every waiting taker, and the idle ones too when {@code withIdle}; the caller holds
     * {@code lock} and ends them after releasing it.
     */
    private List<Taker<T>> removeTakersLocked(boolean withIdle) {
        List<Taker<T>> waiting = new ArrayList<>(takers);
        takers.clear();
        if (withIdle) {
            waiting.addAll(idle);
            idle.clear();
        }
        return waiting;
    }

    /**
     * Keeps a {@link #next()} subscriber that has not requested yet among the idle ones, or ends it now when the
     * {@code Sub} has nothing left.
     *
     * @return whether it was kept (it takes on its first request); false when it was ended
     */
    private boolean watch(SinkTaker<T> taker) {
        synchronized (lock) {
            if (mayHaveMoreLocked()) {
                idle.add(taker);
                return true;
            }
        }
        take(taker); // the Sub has ended: signals the end (or the failure) at once
        return false;
    }

    /** @return whether the taker was idle (then it may take now); false when it was already ended */
    private boolean unwatch(SinkTaker<T> taker) {
        synchronized (lock) {
            return idle.remove(taker);
        }
    }

    private static <T> void endAll(List<Taker<T>> takers, @Nullable Throwable error) {
        for (Taker<T> t : takers) {
            t.onEnd(error);
        }
    }

    /** @return whether the taker was still waiting (then it will get nothing) */
    private boolean remove(Taker<T> taker) {
        synchronized (lock) {
            idle.remove(taker);
            return takers.remove(taker);
        }
    }

    /** Hands a message to the oldest waiting taker, or keeps it in {@code ready} (first when given back). */
    private void route(T message, boolean givenBack) {
        Taker<T> taker;
        synchronized (lock) {
            if (closed) {
                return;
            }
            taker = takers.poll();
            if (taker == null) {
                if (givenBack) {
                    ready.addFirst(message);
                } else {
                    ready.addLast(message);
                }
                return;
            }
        }
        taker.onMessage(message);
    }

    /** Waits for a future taker; gives up its place (keeping any message it gets meanwhile) unless it completed. */
    private @Nullable T await(FutureTaker<T> taker, @Nullable Duration timeout)
            throws TimeoutException, InterruptedException {
        boolean completed = false;
        try {
            T message = timeout == null ? taker.get() : taker.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            completed = true;
            return message;
        } catch (ExecutionException e) {
            completed = true;
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("Sub of topic '" + topic + "' failed", cause);
        } finally {
            if (!completed && !remove(taker)) {
                // Already handed a message (or the end) at this moment: give the message back for the next take.
                taker.thenAccept(m -> {
                    if (m != null) {
                        route(m, true);
                    }
                });
            }
        }
    }

    private IllegalStateException endedException() {
        synchronized (lock) {
            return new IllegalStateException(closed
                    ? "Sub of topic '" + topic + "' is closed: expected a Sub that is still open"
                    : "Sub of topic '" + topic + "' has ended: its hub closed and every buffered message was taken");
        }
    }

    /** One caller waiting for one message. */
    private interface Taker<T> {
        void onMessage(T message);

        /** @param error the failure that ended the Sub, or null for a normal end */
        void onEnd(@Nullable Throwable error);
    }

    /** A blocking caller: completes with the message, with null at the end, exceptionally on failure. */
    private static final class FutureTaker<T> extends CompletableFuture<@Nullable T> implements Taker<T> {
        @Override
        public void onMessage(T message) {
            complete(message);
        }

        @Override
        public void onEnd(@Nullable Throwable error) {
            if (error == null) {
                complete(null);
            } else {
                completeExceptionally(error);
            }
        }
    }

    /** A {@link #next()} subscriber: takes once, on its first request. */
    private static final class SinkTaker<T> implements Taker<T> {
        private final Sub<T> sub;
        private final MonoSink<T> sink;
        private final AtomicBoolean started = new AtomicBoolean();
        volatile boolean cancelled;

        SinkTaker(Sub<T> sub, MonoSink<T> sink) {
            this.sub = sub;
            this.sink = sink;
        }

        void start() {
            if (!cancelled && started.compareAndSet(false, true) && sub.unwatch(this)) {
                sub.take(this);
            }
        }

        @Override
        public void onMessage(T message) {
            if (cancelled) {
                sub.route(message, true); // cancelled after it was chosen: keep the message for the next take
            } else {
                sink.success(message);
            }
        }

        @Override
        public void onEnd(@Nullable Throwable error) {
            if (error == null) {
                sink.success();
            } else {
                sink.error(error);
            }
        }
    }

    private final class BlockingIterator implements Iterator<T> {
        private @Nullable T next;
        private boolean finished;

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            FutureTaker<T> taker = new FutureTaker<>();
            take(taker);
            T message;
            try {
                message = await(taker, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a message on topic '" + topic + "'", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("unexpected timeout without a deadline on topic '" + topic + "'", e);
            } catch (RuntimeException | Error e) {
                finished = true;
                throw e;
            }
            if (message == null) {
                finished = true;
                return false;
            }
            next = message;
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("Sub of topic '" + topic + "' has ended: no more messages");
            }
            T message = next;
            next = null;
            return message;
        }
    }

    /** Receives from the hub only what waiting takers requested. */
    private final class Receiver implements CoreSubscriber<Message<T>> {

        @Override
        public void onSubscribe(Subscription s) {
            boolean cancel;
            long n;
            synchronized (lock) {
                cancel = closed || upstream != null;
                if (upstream == null) {
                    upstream = s;
                }
                n = outstanding;
            }
            if (cancel) {
                s.cancel();
            } else if (n > 0) {
                s.request(n);
            }
        }

        @Override
        public void onNext(Message<T> message) {
            synchronized (lock) {
                outstanding--;
            }
            route(message.payload(), false);
        }

        @Override
        public void onError(Throwable error) {
            end(error);
        }

        @Override
        public void onComplete() {
            end(null);
        }

        private void end(@Nullable Throwable error) {
            List<Taker<T>> waiting;
            synchronized (lock) {
                if (ended) {
                    return;
                }
                ended = true;
                failure = error;
                // Idle takers learn the end without demand, unless a message was given back for them to take.
                waiting = removeTakersLocked(ready.isEmpty());
            }
            endAll(waiting, error);
        }
    }
}
