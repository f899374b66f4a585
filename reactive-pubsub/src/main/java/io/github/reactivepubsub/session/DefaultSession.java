package io.github.reactivepubsub.session;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.internal.EscapedText;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The {@link Session} implementation: a queue of decoded messages between one read of the connection and the
 * consumers, served by a {@code wip} drain loop.
 *
 * <p>Concurrency: the queue, the frame reader and {@code readRequested} are touched only inside the drain loop,
 * which at most one thread runs at a time (1). Every event (a read, demand, a pull, a cancellation, a close)
 * publishes its data through a volatile field or a concurrent queue and then calls {@link #drain()}, which either
 * runs the loop or makes the running loop go round once more (2), so no event is missed. The loop takes a read
 * from the connection only when the queue is empty and a consumer waits, with one read outstanding at most (3),
 * which bounds memory to one read's messages plus one incomplete frame.
 */
final class DefaultSession<I, O> implements Session<I, O>, CoreSubscriber<ByteBuffer> {

    private static final Logger LOG = Loggers.getLogger(DefaultSession.class);

    /** Why and how the session closes; published once, its presence means "closing or closed". */
    private record CloseRequest(boolean drain, @Nullable Throwable reason) {
    }

    private final DuplexConnection connection;
    private final FrameReader<I> reader;
    private final FrameEncoder<O> encoder;
    private final FrameEncoder<O> counted = new CountingEncoder();
    private final SessionOptions options;
    private final Scheduler scheduler;
    private final @Nullable SessionStats stats;

    // drain loop only (1)
    private final ArrayDeque<I> queue = new ArrayDeque<>();
    private final Consumer<I> enqueue;
    private boolean readRequested;

    private final ConcurrentLinkedQueue<Pull<I>> pulls = new ConcurrentLinkedQueue<>();

    private volatile int wip;
    @SuppressWarnings("rawtypes") // field updaters of a generic class take its raw type
    private static final AtomicIntegerFieldUpdater<DefaultSession> WIP =
            AtomicIntegerFieldUpdater.newUpdater(DefaultSession.class, "wip");

    private volatile @Nullable CloseRequest closing;
    @SuppressWarnings("rawtypes") // field updaters of a generic class take its raw type
    private static final AtomicReferenceFieldUpdater<DefaultSession, CloseRequest> CLOSING =
            AtomicReferenceFieldUpdater.newUpdater(DefaultSession.class, CloseRequest.class, "closing");

    private volatile int finished;
    @SuppressWarnings("rawtypes") // field updaters of a generic class take its raw type
    private static final AtomicIntegerFieldUpdater<DefaultSession> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(DefaultSession.class, "finished");

    private volatile @Nullable Inbound<I> inbound;
    @SuppressWarnings("rawtypes") // field updaters of a generic class take its raw type
    private static final AtomicReferenceFieldUpdater<DefaultSession, Inbound> INBOUND =
            AtomicReferenceFieldUpdater.newUpdater(DefaultSession.class, Inbound.class, "inbound");

    private volatile @Nullable Subscription upstream;
    private volatile @Nullable ByteBuffer pendingRead;
    private volatile boolean upstreamDone;
    private volatile boolean drainExpired;

    private final Disposable.Swap drainTimer = Disposables.swap();
    private final Sinks.Empty<Void> onCloseSink = Sinks.empty();
    private final Sinks.Empty<Void> closedSink = Sinks.empty();
    private final Mono<Void> closed = closedSink.asMono();

    private volatile @Nullable SessionHeartbeats heartbeats;
    @SuppressWarnings("rawtypes") // field updaters of a generic class take its raw type
    private static final AtomicReferenceFieldUpdater<DefaultSession, SessionHeartbeats> HEARTBEATS =
            AtomicReferenceFieldUpdater.newUpdater(DefaultSession.class, SessionHeartbeats.class, "heartbeats");

    DefaultSession(DuplexConnection connection, FrameDecoder<I> decoder, FrameEncoder<O> encoder,
            SessionOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.reader = new FrameReader<>(Objects.requireNonNull(decoder, "decoder"));
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = options.scheduler();
        this.stats = options.stats();
        SessionStats counting = stats;
        this.enqueue = counting == null ? queue::add : message -> {
            counting.recordFrameIn(0);
            queue.add(message);
        };
    }

    /** Subscribes to the connection; separate from the constructor so that {@code this} escapes fully built. */
    DefaultSession<I, O> start() {
        if (stats != null) {
            stats.recordOpened();
        }
        connection.receive().subscribe(this);
        connection.onClose().subscribe(v -> { }, error -> startClose(false, error),
                () -> startClose(options.gracefulShutdown(), null));
        return this;
    }

    // ---------------------------------------------------------------- connection.receive() subscriber

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            drain();
        }
    }

    @Override
    public void onNext(ByteBuffer read) {
        if (finished != 0) {
            return; // a read racing with the cancellation in finish(): nobody will take it
        }
        SessionHeartbeats h = heartbeats;
        if (h != null) {
            h.received();
        }
        if (stats != null) {
            stats.recordBytesIn(read.remaining());
        }
        pendingRead = read;
        drain();
    }

    @Override
    public void onError(Throwable error) {
        upstreamDone = true;
        startClose(false, error);
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        startClose(options.gracefulShutdown(), null);
        drain();
    }

    // ---------------------------------------------------------------- consumption

    @Override
    public Flux<I> inbound() {
        return Flux.<I>from(this::subscribeInbound);
    }

    private void subscribeInbound(Subscriber<? super I> s) {
        CoreSubscriber<? super I> actual = Operators.toCoreSubscriber(s);
        Inbound<I> candidate = new Inbound<>(this, actual);
        if (!INBOUND.compareAndSet(this, null, candidate)) {
            Operators.error(actual, new SessionStateException("session " + name()
                    + " already has an inbound() subscriber; expected one dispatcher at a time (cancel it first)"));
            return;
        }
        actual.onSubscribe(candidate);
        candidate.ready = true;
        drain();
    }

    @Override
    public Mono<I> receive() {
        return Mono.create(sink -> {
            if (isDispatching()) {
                sink.error(pullWhileDispatching("receive()"));
                return;
            }
            Pull.SinkPull<I> pull = new Pull.SinkPull<>(sink);
            sink.onCancel(() -> {
                if (pull.cancel()) {
                    pulls.remove(pull);
                }
            });
            pulls.add(pull);
            drain();
        });
    }

    @Override
    public @Nullable I receiveNow() {
        if (isDispatching()) {
            throw pullWhileDispatching("receiveNow()");
        }
        Pull.NowPull<I> pull = new Pull.NowPull<>();
        pulls.add(pull);
        drain();
        if (pull.cancel()) {
            pulls.remove(pull);
            if (finished != 0) {
                throw endOfQueue();
            }
            return null;
        }
        return pull.result();
    }

    @Override
    public boolean isDispatching() {
        Inbound<I> sub = inbound;
        return sub != null && !sub.cancelled && sub.requested > 0;
    }

    private SessionStateException pullWhileDispatching(String operation) {
        return new SessionStateException(operation + " on session " + name()
                + " while inbound() is dispatching (its subscriber has demand); expected no demand, i.e. paused");
    }

    private EndOfQueueException endOfQueue() {
        CloseRequest request = closing;
        return new EndOfQueueException("session " + name() + " is closed and every kept message was delivered",
                request == null ? null : request.reason());
    }

    // ---------------------------------------------------------------- drain loop

    void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            drainOnce();
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainOnce() {
        if (finished != 0) {
            pendingRead = null;
            terminateConsumers();
            return;
        }
        ByteBuffer read = pendingRead;
        if (read != null) {
            pendingRead = null;
            readRequested = false;
            try {
                reader.feed(read, enqueue);
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                startClose(false, error instanceof ProtocolException ? error
                        : new ProtocolException(-1, "frame decoder of session " + name() + " failed: "
                                + error.getClass().getName() + ": "
                                + EscapedText.escape(String.valueOf(error.getMessage()), 256)
                                + "; expected a message or a ProtocolException", error)); // escaped: may quote a peer
            }
        }
        CloseRequest request = closing;
        if (request != null && (!request.drain() || drainExpired)) {
            finish(request);
            return;
        }
        deliverToPulls();
        deliverToInbound();
        if (request != null && queue.isEmpty() && upstreamDone && pendingRead == null) {
            finish(request);
            return;
        }
        if (queue.isEmpty() && !readRequested && pendingRead == null && !upstreamDone && consumerWaiting()) {
            Subscription s = upstream;
            if (s != null) {
                readRequested = true;
                s.request(1); // (3) may deliver the read synchronously: onNext -> drain() -> the loop goes round
            }
        }
    }

    private boolean consumerWaiting() {
        return !pulls.isEmpty() || isDispatching();
    }

    private void deliverToPulls() {
        while (!queue.isEmpty()) {
            Pull<I> pull = pulls.poll();
            if (pull == null) {
                return;
            }
            if (pull.tryDeliver(queue.peek())) {
                queue.poll();
            }
        }
    }

    private void deliverToInbound() {
        Inbound<I> sub = inbound;
        if (sub == null || !sub.ready) {
            return;
        }
        long requested = sub.requested;
        long emitted = 0;
        while (emitted != requested && !sub.cancelled && !queue.isEmpty()) {
            CloseRequest request = closing;
            if (request != null && !request.drain()) {
                break;
            }
            I message = queue.poll();
            try {
                sub.actual.onNext(message);
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                LOG.warn("inbound() subscriber of session " + name() + " threw from onNext; cancelling only that "
                        + "subscriber, the session stays open", error);
                sub.cancel();
                sub.actual.onError(error);
                return;
            }
            emitted++;
        }
        if (emitted != 0) {
            Operators.produced(Inbound.REQUESTED, sub, emitted);
        }
    }

    /** Runs once, inside the drain loop: the end of CLOSING. */
    private void finish(CloseRequest request) {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        drainTimer.dispose();
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
        int discarded = queue.size();
        if (discarded > 0) {
            LOG.warn("session " + name() + " discarded " + discarded + " received messages on close ("
                    + (request.drain() ? "drain timeout " + options.drainTimeout() + " expired" : "no drain") + ")");
        }
        queue.clear();
        pendingRead = null;
        reader.clear();
        terminateConsumers();
        Throwable reason = request.reason();
        if (stats != null) {
            stats.recordClosed(reason);
        }
        if (reason == null) {
            LOG.debug("session {} closed", name());
            onCloseSink.tryEmitEmpty();
        } else {
            LOG.debug("session " + name() + " closed: " + reason);
            onCloseSink.tryEmitError(reason);
        }
        closedSink.tryEmitEmpty();
    }

    /** Inside the drain loop, once finished: ends the inbound subscriber and every pull. */
    private void terminateConsumers() {
        CloseRequest request = Objects.requireNonNull(closing, "finished without a close request");
        Inbound<I> sub = inbound;
        if (sub != null && sub.ready && INBOUND.compareAndSet(this, sub, null) && !sub.cancelled) {
            Throwable reason = request.reason();
            if (reason == null) {
                sub.actual.onComplete();
            } else {
                sub.actual.onError(reason);
            }
        }
        Pull<I> pull;
        while ((pull = pulls.poll()) != null) {
            pull.fail(endOfQueue());
        }
    }

    // ---------------------------------------------------------------- sending

    @Override
    public Mono<Void> send(O message) {
        return Mono.defer(() -> {
            if (closing != null) {
                return Mono.error(notActive("send"));
            }
            return connection.send(Mono.just(message), counted);
        });
    }

    @Override
    public Mono<Void> sendAll(Publisher<? extends O> messages) {
        return Mono.defer(() -> {
            if (closing != null) {
                return Mono.error(notActive("sendAll"));
            }
            return connection.send(messages, counted);
        });
    }

    /** Every frame this session sends is encoded here: counts it (stats, heartbeats), whichever way it is encoded. */
    private final class CountingEncoder implements FrameEncoder<O> {

        @Override
        public ByteBuffer encode(O message) {
            ByteBuffer frame = encoder.encode(message);
            sent(frame.remaining());
            return frame;
        }

        @Override
        public int frameLength(O message) {
            return encoder.frameLength(message);
        }

        @Override
        public void encode(O message, ByteBuffer out) {
            int start = out.position();
            encoder.encode(message, out);
            sent(out.position() - start);
        }

        private void sent(int bytes) {
            if (stats != null) {
                stats.recordFrameOut(bytes);
            }
            SessionHeartbeats h = heartbeats;
            if (h != null) {
                h.sent();
            }
        }

        @Override
        public String toString() {
            return String.valueOf(encoder);
        }
    }

    private SessionStateException notActive(String operation) {
        return new SessionStateException(operation + " on session " + name() + " which is "
                + (finished != 0 ? "closed" : "closing") + "; expected an active session");
    }

    // ---------------------------------------------------------------- heartbeats

    @Override
    public void startHeartbeats(Duration local, Duration remote, Supplier<? extends O> heartbeat) {
        Checks.positive("local heartbeat interval", local);
        Checks.positive("remote heartbeat interval", remote);
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (closing != null) {
            throw notActive("startHeartbeats");
        }
        if (heartbeats != null) {
            throw alreadyStarted();
        }
        SessionHeartbeats started = new SessionHeartbeats(local, remote, scheduler,
                () -> {
                    if (stats != null) {
                        stats.recordHeartbeatSent();
                    }
                    send(heartbeat.get()).subscribe(v -> { }, error -> LOG.debug("session " + name()
                            + " could not send a heartbeat: " + error));
                },
                () -> {
                    if (stats != null) {
                        stats.recordHeartbeatMissed();
                    }
                    startClose(false, new IdleTimeoutException("session " + name() + ": no bytes received from "
                            + "the peer for " + remote + "; expected data or heartbeats at least every " + remote));
                });
        if (!HEARTBEATS.compareAndSet(this, null, started)) {
            started.stop();
            throw alreadyStarted();
        }
        if (closing != null) {
            started.stop(); // raced with a close that ran before the timers existed
        }
    }

    private SessionStateException alreadyStarted() {
        return new SessionStateException("startHeartbeats on session " + name()
                + " whose heartbeats were already started; expected one call");
    }

    private void stopHeartbeats() {
        SessionHeartbeats h = heartbeats;
        if (h != null) {
            h.stop();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public boolean isActive() {
        return closing == null;
    }

    @Override
    public boolean isClosed() {
        return closing != null;
    }

    @Override
    public void initiateClose() {
        startClose(options.gracefulShutdown(), null);
    }

    @Override
    public Mono<Void> close() {
        startClose(options.gracefulShutdown(), null);
        return closed;
    }

    @Override
    public Mono<Void> onClose() {
        return onCloseSink.asMono();
    }

    @Override
    public String name() {
        return options.name();
    }

    private void startClose(boolean drain, @Nullable Throwable reason) {
        CloseRequest request = new CloseRequest(drain && reason == null, reason);
        if (!CLOSING.compareAndSet(this, null, request)) {
            return;
        }
        if (reason != null) {
            LOG.debug("session " + name() + " closing: " + reason);
        }
        stopHeartbeats();
        if (request.drain()) {
            drainTimer.update(Mono.delay(options.drainTimeout(), scheduler).subscribe(tick -> {
                drainExpired = true;
                drain();
            }));
        }
        if (reason == null) {
            connection.disposeGracefully(); // what was sent reaches the peer (TCP: no reset on unread input)
        } else {
            connection.dispose();
        }
        drain();
    }

    /**
     * @return whether closing finished and everything it owns stopped: the queue and the reader were released,
     *     the heartbeat timers and the drain timer were stopped (tests check it after every session test)
     */
    boolean fullyStopped() {
        SessionHeartbeats h = heartbeats;
        return finished != 0 && pendingRead == null && reader.pendingBytes() == 0
                && (h == null || h.isStopped()) && drainTimer.isDisposed();
    }

    @Override
    public String toString() {
        return "Session[" + name() + (finished != 0 ? ", closed" : closing != null ? ", closing" : ", active") + "]";
    }

    // ---------------------------------------------------------------- consumers

    /** The inbound() subscription: its demand is the dispatching. */
    private static final class Inbound<T> implements Subscription {

        @SuppressWarnings("rawtypes")
        static final AtomicLongFieldUpdater<Inbound> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Inbound.class, "requested");

        final DefaultSession<T, ?> session;
        final CoreSubscriber<? super T> actual;
        volatile long requested;
        volatile boolean cancelled;
        /** Set after {@code onSubscribe} returned: no signal may reach the subscriber before. */
        volatile boolean ready;

        Inbound(DefaultSession<T, ?> session, CoreSubscriber<? super T> actual) {
            this.session = session;
            this.actual = actual;
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                session.drain();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            INBOUND.compareAndSet(session, this, null);
            session.drain();
        }
    }
}
