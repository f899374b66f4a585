package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.BoundedBuffer;
import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.internal.Backoff;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.session.SessionStats;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.wire.DeclareFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.UndeclareFrame;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.netty.tcp.TcpClient;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A {@link Hub} whose topics live in a broker ({@link PubSubServer}) reached over TCP: code written against
 * {@code Hub} runs unchanged on it.
 *
 * <pre>{@code
 * RemoteHub hub = RemoteHub.create("broker.example", 7400, codec, RemoteHubOptions.defaults().credentials("u", "p"));
 * hub.connected().block(Duration.ofSeconds(10));          // optional: wait for the first connection
 * hub.<Trade>subscribe(Key.parse("*.trade.*")).subscribe(m -> System.out.println(m.key() + " " + m.payload()));
 * PublishResult r = hub.publish(Key.parse("NYSE.trade.IBM"), trade);   // SENT, DISCONNECTED or BACK_PRESSURED
 * hub.close();
 * }</pre>
 *
 * <h2>Connection</h2>
 * Connecting starts at creation and goes on in the background: {@link #status()} reports {@code CONNECTING}, then
 * {@code CONNECTED}; after a loss (the broker went away, a heartbeat timeout, an I/O error) {@code DISCONNECTED},
 * then {@code RECONNECTING} for each attempt, after an exponential back-off with jitter
 * ({@link RemoteHubOptions#backoff}); {@code CLOSED} after {@link #close()}, or after the broker refused the
 * credentials or the protocol version (then subscribers fail with a {@link RemoteHubException}). Heartbeats at the
 * broker's interval detect a dead or half-open connection.
 *
 * <h2>Subscriptions</h2>
 * Each subscription to a Flux from {@link #subscribe(Key, SubscribeOptions)} is one remote subscription, alive until
 * it is cancelled, ends at the broker, or the hub closes; it is sent to every new connection exactly once, so it
 * survives reconnections (messages published while disconnected are not received). Demand is credit: the broker
 * sends no more messages than the subscriber requested, and what is published beyond that waits in the
 * subscription's buffer at the broker ({@code bufferSize}), where its {@link io.github.reactivepubsub.Overflow}
 * policy applies ({@code ERROR} fails the subscriber with an {@link io.github.reactivepubsub.OverflowException}).
 *
 * <h2>Drops</h2>
 * The broker drops for a subscriber under {@code DROP_OLDEST} / {@code DROP_LATEST} and reports the gaps (protocol
 * version 2: DROPPED frames with a count, in stream order; the drops of one gap are added up until the broker's
 * report task runs, so a long flood comes as a few reports, never one per message). The subscriber's drop listener
 * ({@link SubscribeOptions#onDrop}) then receives one {@link io.github.reactivepubsub.DroppedMessages} per report:
 * the subscription's pattern, the policy and how many consecutive messages were dropped (the messages themselves
 * never leave the broker). It is called on the connection's inbound thread, after the subscriber's {@code onNext}
 * of the message before the gap and before the one after it, never under a lock of this hub; a listener that throws
 * is logged and ignored. A gap at the head of the broker's buffer (DROP_OLDEST, or DROP_LATEST once the messages
 * before it were taken) is reported even while the subscriber requests nothing; a DROP_LATEST gap behind buffered
 * messages is reported once the subscriber took them. Under {@code ERROR} the listener receives a
 * {@code DroppedMessages} of 1 before the {@link io.github.reactivepubsub.OverflowException}. The same counts feed
 * {@link #stats()}. Not reported: what a lost connection's broker-side buffer still held (messages and drops not
 * reported yet), what was published while disconnected, and what a subscription that ends with a broker failure
 * still had waiting. A version 1 broker does not report its {@code DROP_OLDEST} / {@code DROP_LATEST} drops (count
 * them with the broker's hub's stats). A DROPPED frame that breaks the protocol (on version 1, for a subscription
 * under {@code ERROR}, a count of 0 or above 2^31 - 1) closes the connection with a
 * {@link io.github.reactivepubsub.ProtocolException} as the logged reason; the hub reconnects and counts nothing
 * from it.
 *
 * <h2>Publishing</h2>
 * {@link #publish} encodes the payload with the codec and queues the frame for writing on the current connection:
 * {@link PublishResult#SENT}; {@link PublishResult#DISCONNECTED} when there is no connection (the message is not
 * kept for later); {@link PublishResult#BACK_PRESSURED} when {@link RemoteHubOptions#maxPendingFrames()} frames
 * already wait for the socket. How many subscribers receive it is not known to the publisher. Messages of one
 * publishing thread keep their order.
 *
 * <h2>Introspection without blocking</h2>
 * {@link #topics} and {@link #subscriberCount} answer from a mirror of the broker's topics: at each connection the
 * broker sends its topics with their subscriber counts, then every change, which also feeds {@link #events()}. They
 * are as fresh as the last event received (a subscription made here shows up once the broker's event came back), and
 * keep the last known values while disconnected. The mirror is bounded by its number of topics and the bytes of their
 * keys ({@link RemoteHubOptions#maxMirroredTopics(int, int)}): a broker beyond either bound, like one breaking the
 * protocol (a WELCOME with a version HELLO did not offer, a version 2 frame on a version 1 connection), costs its
 * connection, with a {@link io.github.reactivepubsub.ProtocolException} as the logged reason, and the hub reconnects.
 *
 * <h2>Declarations</h2>
 * {@link #declare} declares the topic in the broker's hub (protocol version 2), where it lives while the returned
 * handle is not disposed and this hub is connected; it is declared again on every new connection. Late joiners, here
 * or at any other client, get its replay from the broker. A declaration that the mirror shows to conflict with an
 * active topic's options is refused at once with an {@link IllegalStateException}; one that the broker refuses later
 * (a conflict the mirror did not know yet, a limit) is logged and its handle disposed. Against a broker that speaks
 * version 1 only, {@code declare} fails with an {@link UnsupportedOperationException}.
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and non-blocking. Messages, events and subscription ends are signalled on the
 * connection's event loop: subscribers must not block there ({@code publishOn} a scheduler for slow work). Status
 * changes are signalled in order, never under a lock of this hub, on the thread that caused them (or on the thread
 * signalling an earlier change at that moment).
 */
public final class RemoteHub implements Hub {

    private static final Logger LOG = Loggers.getLogger(RemoteHub.class);

    private final Supplier<Mono<Session<Frame, Frame>>> connector;
    private final Codec<Object> codec;
    private final RemoteHubOptions options;
    private final String name;
    private final Backoff backoff;
    private final Map<Integer, ClientSubscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Sinks.Many<HubEvent> events = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<ConnectionStatus> statusSink = Sinks.many().replay().latest();
    private final Object statusLock = new Object();
    /**
     * Transitions decided but not emitted yet: empty but while a status subscriber runs, when it holds the
     * transitions the connection loop made meanwhile (one step at a time, each after the previous one's back-off or
     * handshake); {@code CLOSED} is the last one ever queued.
     */
    private final Queue<ConnectionStatus> statusOutbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger statusWip = new AtomicInteger();
    private final Disposable.Swap attempt = Disposables.swap();
    private final RemoteHubStats stats = new RemoteHubStats(this);
    private final SessionStats connectionStats;

    private volatile ConnectionStatus status = ConnectionStatus.CONNECTING;
    /** The broker's topics as the last connection learnt them (kept while disconnected). */
    private volatile TopicMirror mirror;
    private final Map<Integer, Declaration> declarations = new ConcurrentHashMap<>();
    private volatile @Nullable ClientConnection connection;
    private volatile boolean closed;
    private volatile @Nullable Throwable fatal;
    /** Touched by the connection loop only, whose steps never overlap. */
    private int failures;
    private boolean attempted;

    RemoteHub(Supplier<Mono<Session<Frame, Frame>>> connector, Codec<?> codec, RemoteHubOptions options, String name) {
        this(connector, codec, options, name, SessionStats.create());
    }

    /** @param connectionStats what the sessions the connector makes record into */
    @SuppressWarnings("unchecked")
    RemoteHub(Supplier<Mono<Session<Frame, Frame>>> connector, Codec<?> codec, RemoteHubOptions options, String name,
            SessionStats connectionStats) {
        this.connectionStats = connectionStats;
        this.connector = connector;
        this.codec = (Codec<Object>) Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        this.name = name;
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff(), options.jitter());
        this.mirror = new TopicMirror(options.maxMirroredTopics(), options.maxMirroredKeyBytes());
        statusSink.tryEmitNext(ConnectionStatus.CONNECTING);
        connect();
    }

    /**
     * Creates a hub connected to the broker at {@code host:port}; connecting starts now, in the background.
     *
     * @param host the broker's host
     * @param port the broker's port
     * @param codec encodes and decodes payloads (the broker must use the same format)
     * @param options credentials, back-off, limits, timers
     * @param <T> the payload type
     * @return the hub, {@link ConnectionStatus#CONNECTING}
     */
    public static <T> RemoteHub create(String host, int port, Codec<T> codec, RemoteHubOptions options) {
        return create(TcpClient.newConnection().host(host).port(port), codec, options, host + ":" + port);
    }

    /**
     * Creates a hub connected through a pre-configured client (remote address, TLS with
     * {@code client.secure(...)}, event loops, socket options): the escape hatch. Each connection attempt
     * connects it anew.
     *
     * @param client the pre-configured client, its remote address included
     * @param codec encodes and decodes payloads
     * @param options credentials, back-off, limits, timers
     * @param <T> the payload type
     * @return the hub, {@link ConnectionStatus#CONNECTING}
     */
    public static <T> RemoteHub create(TcpClient client, Codec<T> codec, RemoteHubOptions options) {
        return create(client, codec, options, String.valueOf(client.configuration().remoteAddress().get()));
    }

    private static <T> RemoteHub create(TcpClient client, Codec<T> codec, RemoteHubOptions options, String name) {
        Objects.requireNonNull(client, "client");
        SessionStats connectionStats = SessionStats.create();
        TcpSessionOptions tcp = TcpSessionOptions.defaults()
                .maxFrameLength(options.maxFrameLength())
                .framingErrorReply(FrameCodec::framingError)
                .sessionOptions(SessionOptions.defaults().name("remote-hub").scheduler(options.scheduler())
                        .drainTimeout(Duration.ofSeconds(1)).stats(connectionStats));
        return new RemoteHub(() -> TcpSessions.connect(client, FrameCodec.STRICT, FrameCodec.STRICT, tcp), codec,
                options, name, connectionStats);
    }

    // ---------------------------------------------------------------------------------------------- connection loop

    private void connect() {
        if (closed) {
            return;
        }
        setStatus(attempted ? ConnectionStatus.RECONNECTING : ConnectionStatus.CONNECTING);
        attempted = true;
        HelloFrame hello = new HelloFrame(FrameCodec.MIN_VERSION, FrameCodec.VERSION, options.username(),
                options.password());
        Mono<Void> run = Mono.defer(connector)
                .flatMap(session -> new ClientConnection(session, this, options).handshake(hello))
                .timeout(options.handshakeTimeout(), options.scheduler())
                .flatMap(c -> {
                    activate(c);
                    return c.ended();
                });
        // registered before subscribing: a synchronous failure schedules the next attempt, which must not be
        // replaced by this one afterwards
        BaseSubscriber<Void> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnError(Throwable error) {
                lost(error);
            }

            @Override
            protected void hookOnComplete() {
                lost(new IllegalStateException("connection to broker " + name + " ended"));
            }
        };
        attempt.update(subscriber);
        run.subscribe(subscriber);
    }

    private void activate(ClientConnection c) {
        failures = 0;
        mirror = c.mirror();
        connection = c;
        if (closed) {
            c.close();
            return;
        }
        for (Declaration d : declarations.values()) { // before the subscriptions: they find the replay topics
            d.attach(c);
        }
        for (ClientSubscription s : subscriptions.values()) {
            s.attach(c);
        }
        LOG.debug("connected to broker {}", name);
        setStatus(ConnectionStatus.CONNECTED);
    }

    private void lost(Throwable error) {
        ClientConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        if (closed) {
            return;
        }
        if (error instanceof RemoteHubException refused && (refused.code() == ErrorCode.AUTHENTICATION_FAILED
                || refused.code() == ErrorCode.UNSUPPORTED_VERSION)) {
            LOG.error("broker {} refused this client: {}; closing the hub", name, refused.getMessage());
            fatal = refused;
            closeWith(refused);
            return;
        }
        Duration delay = backoff.delay(failures++, ThreadLocalRandom.current().nextDouble());
        if (c != null) {
            LOG.warn("connection to broker {} lost ({}); reconnecting in {} ms", name, error.toString(),
                    delay.toMillis());
        } else {
            LOG.debug("connecting to broker {} failed ({}); retrying in {} ms", name, error.toString(),
                    delay.toMillis());
        }
        setStatus(ConnectionStatus.DISCONNECTED);
        attempt.update(Mono.delay(delay, options.scheduler()).subscribe(tick -> connect()));
    }

    /**
     * Decides the transition under {@code statusLock} and queues it there, so the queue has the order of the
     * transitions; emits after releasing the lock (status subscribers are user code), one thread at a time.
     */
    private void setStatus(ConnectionStatus next) {
        synchronized (statusLock) {
            if (status == next || status == ConnectionStatus.CLOSED) {
                return;
            }
            status = next;
            statusOutbox.offer(next);
        }
        emitStatuses();
    }

    /**
     * Emits the queued transitions unless another thread is doing so (it then emits this thread's too, before it
     * stops: {@code statusWip} counts the calls it has not yet answered with a look at the queue).
     */
    private void emitStatuses() {
        if (statusWip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            ConnectionStatus next;
            while ((next = statusOutbox.poll()) != null) {
                statusSink.tryEmitNext(next);
                if (next == ConnectionStatus.CLOSED) {
                    statusSink.tryEmitComplete();
                }
            }
            missed = statusWip.addAndGet(-missed);
        } while (missed != 0);
    }

    // ------------------------------------------------------------------------------------------------ Hub methods

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern) {
        return subscribe(pattern, options.subscribeDefaults());
    }

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions subscribeOptions) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subscribeOptions, "options");
        return new Flux<>() {
            @Override
            @SuppressWarnings("unchecked")
            public void subscribe(CoreSubscriber<? super Message<T>> actual) {
                ClientSubscription s = new ClientSubscription(ids.incrementAndGet() & Integer.MAX_VALUE, pattern,
                        subscribeOptions, codec, (CoreSubscriber<? super Message<Object>>) (CoreSubscriber<?>) actual,
                        RemoteHub.this);
                if (closed) {
                    Operators.complete(actual);
                    return;
                }
                subscriptions.put(s.id(), s);
                actual.onSubscribe(s);
                ClientConnection c = connection;
                if (c != null) {
                    s.attach(c);
                }
                if (closed) {
                    s.complete();
                    subscriptions.remove(s.id(), s);
                }
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link PublishResult#SENT} when the frame was queued for writing on the connection,
     *     {@link PublishResult#DISCONNECTED} when not connected, {@link PublishResult#BACK_PRESSURED} when the
     *     connection's pending frames are at their bound, {@link PublishResult#CLOSED} after {@link #close()}
     * @throws IllegalArgumentException when the encoded message exceeds the frame limit, the codec rejects the
     *     payload (e.g. a payload of another type), or the key is one of the hub's meta topics
     *     ({@code Hub.addedSubscriber.*}, {@code Hub.removedSubscriber.*}), which the broker refuses
     */
    @Override
    public PublishResult publish(Key key, Object payload) {
        return stats.published(send(key, payload));
    }

    private PublishResult send(Key key, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (key.isPattern()) {
            key.requireConcrete();
        }
        if (key.startsWith(ADDED_SUBSCRIBER) || key.startsWith(REMOVED_SUBSCRIBER)) {
            throw new IllegalArgumentException("cannot publish to '" + key + "': the hub's meta topics ("
                    + ADDED_SUBSCRIBER + ".*, " + REMOVED_SUBSCRIBER + ".*) are published by the broker's hub only");
        }
        if (closed) {
            return PublishResult.CLOSED;
        }
        ClientConnection c = connection;
        if (c == null) {
            return PublishResult.DISCONNECTED;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(payload);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName() + " to '" + key
                    + "' cannot be encoded by codec " + codec + ": " + e.getMessage(), e);
        }
        PublishFrame frame = new PublishFrame(key, bytes); // encoded by the session, into the socket's buffer
        int bodyLength = frame.framedLength() - 4;
        int limit = Math.min(options.maxFrameLength(), c.welcome().maxFrameLength());
        if (bodyLength > limit) {
            throw new IllegalArgumentException("message to '" + key + "' is a frame of " + bodyLength
                    + " bytes; the limit is " + limit + " (RemoteHubOptions.maxFrameLength and the broker's)");
        }
        return switch (c.send(frame)) {
            case OK -> PublishResult.SENT;
            case FULL -> PublishResult.BACK_PRESSURED;
            case CLOSED -> PublishResult.DISCONNECTED;
        };
    }

    /**
     * Not supported by a remote hub: topics with replay are declared on the broker's hub.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Disposable declare(Key pattern, TopicOptions topicOptions) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(topicOptions, "options");
        if (closed) {
            throw new IllegalStateException("hub is closed: cannot declare topic '" + pattern + "'");
        }
        ClientConnection c = connection;
        if (c != null && !c.declares()) {
            throw new UnsupportedOperationException("RemoteHub cannot declare topic '" + pattern + "': broker "
                    + c.name() + " speaks protocol version 1, which has no DECLARE; declare it on the broker's hub");
        }
        Optional<TopicOptions> active = topicOptions(pattern);
        if (active.isPresent() && !active.get().equals(topicOptions)) {
            throw new IllegalStateException("topic '" + pattern + "' is already active with " + active.get()
                    + " (broker " + name + "); cannot declare it with " + topicOptions);
        }
        Declaration d = new Declaration(ids.incrementAndGet() & Integer.MAX_VALUE, pattern, topicOptions);
        declarations.put(d.id, d);
        if (c != null) {
            d.attach(c);
        }
        return d;
    }

    /**
     * {@inheritDoc} From the mirror (the broker's TOPIC_OPTIONS frames, version 2) and this hub's own declarations.
     */
    @Override
    public Optional<TopicOptions> topicOptions(Key topic) {
        TopicMirror m = mirror;
        Integer replay = m.replay(topic);
        if (replay != null) {
            return Optional.of(TopicOptions.defaults().replay(replay));
        }
        for (Declaration d : declarations.values()) {
            if (d.pattern.equals(topic)) {
                return Optional.of(d.options);
            }
        }
        return m.contains(topic) ? Optional.of(TopicOptions.defaults()) : Optional.empty();
    }

    /** {@inheritDoc} From the mirror of the broker's topics; see the class documentation. */
    @Override
    public List<Key> topics(Key query) {
        if (declarations.isEmpty()) {
            return query.select(mirror.topics());
        }
        Set<Key> all = new HashSet<>(mirror.topics());
        declarations.values().forEach(d -> all.add(d.pattern));
        return query.select(all);
    }

    /** {@inheritDoc} From the mirror of the broker's topics; see the class documentation. */
    @Override
    public int subscriberCount(Key topic) {
        return mirror.subscriberCount(topic);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The broker's events as they arrive (after a reconnection, changes made while disconnected are not
     * replayed; the mirror is refreshed), buffered per subscriber with {@link RemoteHubOptions#subscribeDefaults()}.
     */
    @Override
    public Flux<HubEvent> events() {
        return events.asFlux().transform(BoundedBuffer.of("remote hub events of " + name, options.subscribeDefaults()));
    }

    @Override
    public Flux<ConnectionStatus> status() {
        return statusSink.asFlux();
    }

    /**
     * Completes once connected (at once when connected now); errors with the refusal ({@link RemoteHubException})
     * or an {@link IllegalStateException} if the hub closes before.
     *
     * @return a lazy Mono
     */
    public Mono<Void> connected() {
        return status().filter(s -> s == ConnectionStatus.CONNECTED || s == ConnectionStatus.CLOSED).next()
                .flatMap(s -> {
                    if (s == ConnectionStatus.CONNECTED) {
                        return Mono.just(s);
                    }
                    Throwable f = fatal;
                    return Mono.<ConnectionStatus>error(f != null ? f
                            : new IllegalStateException("remote hub of broker " + name + " closed"));
                })
                .switchIfEmpty(Mono.defer(() -> Mono.error(new IllegalStateException("remote hub of broker " + name
                        + " closed")))).then();
    }

    /** @return the current status */
    public ConnectionStatus currentStatus() {
        return status;
    }

    /**
     * Closes the hub: subscribers complete, the frames already queued (publishes reported as {@code SENT}) are
     * written (for at most 5 seconds), then the connection closes; reconnecting stops, later publishes return
     * {@link PublishResult#CLOSED}, and {@link #status()} ends with {@link ConnectionStatus#CLOSED} once the
     * connection closed. Idempotent, never
     * blocks.
     */
    @Override
    public void close() {
        closeWith(null);
    }

    private void closeWith(@Nullable Throwable error) {
        synchronized (statusLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        attempt.dispose();
        ClientConnection c = connection;
        connection = null;
        Mono<Void> connectionClosed = c != null
                ? c.closeGracefully(Duration.ofSeconds(5), options.scheduler()) : Mono.empty();
        for (ClientSubscription s : subscriptions.values()) {
            if (error == null) {
                s.complete();
            } else {
                s.fail(error);
            }
        }
        subscriptions.clear();
        events.tryEmitComplete();
        connectionClosed.subscribe(null, failure -> setStatus(ConnectionStatus.CLOSED),
                () -> setStatus(ConnectionStatus.CLOSED));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A remote hub always counts (a few nanoseconds beside a message's trip over TCP): publishes by outcome
     * ({@code SENT}, {@code DISCONNECTED}, {@code BACK_PRESSURED}, {@code CLOSED}), messages its own subscribers
     * received ({@code delivered}), its own subscriptions ({@code subscribers}) and the broker's topics as mirrored
     * ({@code topics}), and the messages the broker dropped for its subscribers ({@code dropped}, by policy and for
     * tracked topics by the subscription's pattern, as reported: see Drops above). The subscribers' buffers are at
     * the broker: {@code bufferFillMax} is 0.
     */
    @Override
    public HubStats stats() {
        return stats;
    }

    /**
     * @return the totals of this hub's connections to its broker (one at a time, a new one per reconnection):
     *     frames and bytes each way, heartbeats, closes by reason ({@code SessionMetrics} binds them)
     */
    public SessionStats connectionStats() {
        return connectionStats;
    }

    int mirroredTopics() {
        return mirror.size();
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    void dropped(Key pattern, Overflow policy, long count) {
        stats.dropped(pattern, policy, count);
    }

    void delivered(Key pattern) {
        stats.delivered(pattern);
    }

    @Override
    public String toString() {
        return "RemoteHub[" + name + ", " + status + ", " + subscriptions.size() + " subscriptions]";
    }

    // ------------------------------------------------------------------------------------ called by the connection

    @Nullable ClientSubscription subscription(int id) {
        return subscriptions.get(id);
    }

    void removed(ClientSubscription s) {
        subscriptions.remove(s.id(), s);
    }

    /** Version 2: the broker refused a declaration; it is gone. */
    void declarationRefused(int id, String reason, String broker) {
        Declaration d = declarations.remove(id);
        if (d != null) {
            d.disposed = true;
            LOG.warn("broker {} refused the declaration of topic '{}' with {}: {}", broker, d.pattern, d.options,
                    PeerText.escape(reason, 512));
        }
    }

    /** A change of the broker's topics, already in the connection's mirror. */
    void onEvent(HubEvent event) {
        events.tryEmitNext(event);
    }

    /** One declaration of this hub: sent to every new connection until disposed. */
    private final class Declaration implements Disposable {

        private final int id;
        private final Key pattern;
        private final TopicOptions options;
        private volatile boolean disposed;

        Declaration(int id, Key pattern, TopicOptions options) {
            this.id = id;
            this.pattern = pattern;
            this.options = options;
        }

        void attach(ClientConnection c) {
            if (disposed) {
                return;
            }
            if (!c.declares()) {
                LOG.error("broker {} speaks protocol version 1: the declaration of topic '{}' with {} is dropped",
                        c.name(), pattern, options);
                declarations.remove(id, this);
                disposed = true;
                return;
            }
            c.send(new DeclareFrame(id, options.replay(), pattern));
        }

        @Override
        public void dispose() {
            if (disposed) {
                return;
            }
            disposed = true;
            if (declarations.remove(id, this)) {
                ClientConnection c = connection;
                if (c != null && c.declares()) {
                    c.send(new UndeclareFrame(id));
                }
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
