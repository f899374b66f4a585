package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DeclarationRefusedFrame;
import io.github.reactivepubsub.tcp.wire.DeclareFrame;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.EventFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.FrameQueue;
import io.github.reactivepubsub.tcp.wire.HeartbeatFrame;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.MalformedFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.TopicFrame;
import io.github.reactivepubsub.tcp.wire.TopicOptionsFrame;
import io.github.reactivepubsub.tcp.wire.UndeclareFrame;
import io.github.reactivepubsub.tcp.wire.UnsubscribeFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The server's side of one client connection, over any {@link Session} of frames (TCP in production, an in-memory
 * pair in virtual-time tests).
 *
 * <p><b>Inbound.</b> Frames are handled one at a time on the session's inbound thread, in arrival order: HELLO first
 * (versions, credentials), then SUBSCRIBE / UNSUBSCRIBE / CREDIT / PUBLISH / HEARTBEAT. Subscribing happens while
 * the SUBSCRIBE frame is handled, so a later PUBLISH of the same connection reaches it. A PUBLISH goes straight into
 * the hub ({@code hub.publish} never blocks), so reading never waits for subscribers.
 *
 * <p><b>Outbound.</b> One {@code sendAll} over a merge of the control queue (WELCOME, topic snapshot and events,
 * bounded by {@link PubSubServerOptions#maxControlFrames()} and {@link PubSubServerOptions#maxControlBytes()}) and one
 * source per remote subscription
 * ({@link BrokerSubscription}, bounded by credit, count and bytes). The merge takes frames only as the socket
 * accepts bytes, and prefetches {@value #PREFETCH} frames per source; every MESSAGE frame stays reserved in this
 * connection's {@link ByteBudget} (inside the broker's) until the merge hands it to the socket, or discards it. On a
 * version 2 connection a subscription's source also reports its drops (DROPPED frames, in stream order, one per gap
 * and report task turn: see {@link BrokerSubscription}), and each live declaration holds {@code replay ×} the largest
 * frame in the connection's replay budget (also inside the broker's), so that the replay histories clients ask for
 * are bounded by bytes too.
 *
 * <p><b>Errors.</b> A violation (malformed frame, frame before HELLO, bad credentials, a limit, a PUBLISH into the
 * hub's meta topics) is answered with an ERROR frame naming it, then the connection closes; its subscriptions are
 * cancelled in the hub. A failed login is answered only after {@link PubSubServerOptions#loginFailureDelay()}, and
 * counted against its source address ({@link LoginThrottle}). Whatever the peer sent is escaped and cut
 * ({@link PeerText}) before it is logged or echoed.
 */
public final class BrokerConnection {

    private static final Logger LOG = Loggers.getLogger(BrokerConnection.class);
    static final int PREFETCH = 32;
    private static final Key ALL = Key.parse("**");

    private final Hub hub;
    private final Codec<Object> codec;
    private final PubSubServerOptions options;
    private final Session<Frame, Frame> session;
    private final FrameQueue control;
    private final Sinks.Many<Publisher<Frame>> sources = Sinks.many().unicast().onBackpressureBuffer();
    private final Map<Integer, BrokerSubscription> subscriptions = new ConcurrentHashMap<>();
    /** Version 2: the topics this connection declared in the hub, by declaration id. */
    private final Map<Integer, Disposable> declarations = new ConcurrentHashMap<>();
    private final Object mirrorLock = new Object();
    private final ByteBudget budget;
    /** What the live declarations may hold, each counted at replay × the largest frame (inside the broker's). */
    private final ByteBudget replayBudget;
    private final LoginThrottle throttle;
    private final String source;

    /** Touched by the inbound thread only. */
    private boolean welcomed;
    /** The negotiated protocol version; written before the events subscription (which reads it) in onHello. */
    private volatile int version;
    private volatile boolean closing;
    private volatile @Nullable Disposable events;

    BrokerConnection(Hub hub, Codec<Object> codec, PubSubServerOptions options, Session<Frame, Frame> session,
            ByteBudget brokerBudget, LoginThrottle throttle, String source) {
        this.hub = hub;
        this.codec = codec;
        this.options = options;
        this.session = session;
        this.control = new FrameQueue(options.maxControlFrames(), options.maxControlBytes());
        this.budget = new ByteBudget("buffer of connection " + session.name(), options.maxConnectionBufferBytes(),
                brokerBudget);
        this.replayBudget = new ByteBudget("replay budget of connection " + session.name(),
                options.maxReplayBytes(), brokerBudget);
        this.throttle = throttle;
        this.source = source;
    }

    /** @return what keeps the connection open: completes once the session closed and everything was released */
    public Mono<Void> serve() {
        long interval = options.heartbeatInterval().toMillis();
        session.startHeartbeats(java.time.Duration.ofMillis(interval), java.time.Duration.ofMillis(2 * interval),
                () -> HeartbeatFrame.INSTANCE);
        sources.tryEmitNext(control);
        session.sendAll(sources.asFlux().flatMap(source -> source, options.maxSubscriptions() + 1, PREFETCH)
                        .doOnNext(this::written)
                        .doOnDiscard(MessageFrame.class, this::written))
                .subscribe(null, error -> {
                    if (!session.isClosed()) {
                        LOG.warn("sending to {} failed; closing the connection", session.name(), error);
                        session.close();
                    }
                });
        return session.inbound()
                .doOnNext(this::onFrame)
                .then()
                .onErrorResume(error -> Mono.empty()) // the session logged its close reason
                .doFinally(signal -> release());
    }

    /** A MESSAGE frame left the merge (to the socket) or was discarded: its bytes are no longer held here. */
    private void written(Frame frame) {
        if (frame instanceof MessageFrame message) {
            budget.release(BrokerSubscription.sizeOf(message));
        }
    }

    private void onFrame(Frame frame) {
        if (closing) {
            return;
        }
        try {
            if (!welcomed) {
                if (frame instanceof HelloFrame hello) {
                    onHello(hello);
                } else {
                    refuse(ErrorCode.PROTOCOL_ERROR, "expected HELLO as the first frame, got " + describe(frame));
                }
                return;
            }
            if (frame instanceof PublishFrame publish) {
                onPublish(publish);
            } else if (frame instanceof CreditFrame credit) {
                BrokerSubscription s = subscriptions.get(credit.id());
                if (s != null) {
                    s.grant(credit.credit());
                }
            } else if (frame instanceof SubscribeFrame subscribe) {
                onSubscribe(subscribe);
            } else if (frame instanceof UnsubscribeFrame unsubscribe) {
                BrokerSubscription s = subscriptions.remove(unsubscribe.id());
                if (s != null) {
                    s.unsubscribe();
                }
            } else if (frame instanceof DeclareFrame declare && version >= 2) {
                onDeclare(declare);
            } else if (frame instanceof UndeclareFrame undeclare && version >= 2) {
                Disposable d = declarations.remove(undeclare.id());
                if (d != null) {
                    d.dispose();
                }
            } else if (frame instanceof HeartbeatFrame) {
                // activity is all it means; the session's heartbeat monitor saw the read
            } else if (frame instanceof ErrorFrame error) {
                LOG.warn("client {} closes its connection: {} {}", session.name(), error.code(),
                        PeerText.escape(error.reason(), 256));
                closing = true;
                session.close();
            } else {
                refuse(ErrorCode.PROTOCOL_ERROR, describe(frame) + " is not allowed from a client");
            }
        } catch (RuntimeException e) {
            Exceptions.throwIfJvmFatal(e);
            LOG.warn("frame {} from {} failed", describe(frame), session.name(), e);
            refuse(ErrorCode.PROTOCOL_ERROR, "frame " + describe(frame) + " failed: "
                    + PeerText.escape(String.valueOf(e.getMessage()), 256));
        }
    }

    private void onHello(HelloFrame hello) {
        int version = Math.min(hello.maxVersion(), FrameCodec.VERSION);
        if (version < Math.max(hello.minVersion(), FrameCodec.MIN_VERSION)) {
            refuse(ErrorCode.UNSUPPORTED_VERSION, "client speaks versions " + hello.minVersion() + ".."
                    + hello.maxVersion() + ", this server " + FrameCodec.MIN_VERSION + ".." + FrameCodec.VERSION);
            return;
        }
        String user = PeerText.escape(hello.username());
        if (!throttle.allows(source)) {
            refuseLater(ErrorCode.AUTHENTICATION_FAILED, "user '" + user + "': too many failed logins from " + source
                    + " (at most " + options.maxLoginFailures() + " per " + options.loginFailureWindow()
                    + "); try again later");
            return;
        }
        boolean accepted;
        try {
            accepted = options.authenticator().test(hello.username(), hello.password());
        } catch (RuntimeException e) {
            LOG.warn("authenticator failed for user '{}' of {}; refusing", user, session.name(), e);
            accepted = false;
        }
        if (!accepted) {
            throttle.failed(source);
            refuseLater(ErrorCode.AUTHENTICATION_FAILED, "user '" + user
                    + "': wrong username or password; expected the broker's credentials");
            return;
        }
        welcomed = true;
        this.version = version;
        // Subscribe to the hub's events before taking the snapshot, and emit them only after it (the lock): every
        // change after the subscription reaches the client after the snapshot, so its mirror ends up exact.
        synchronized (mirrorLock) {
            events = hub.events().subscribe(this::onHubEvent, error -> LOG.debug("events of {} ended: {}",
                    session.name(), error.toString()));
            List<Key> topics = hub.topics(ALL);
            enqueue(new WelcomeFrame(version, (int) options.heartbeatInterval().toMillis(), options.maxFrameLength(),
                    options.maxSubscriptions(), options.maxPatternLength(), topics.size()));
            for (Key topic : topics) {
                enqueueOptions(topic);
                enqueue(new TopicFrame(hub.subscriberCount(topic), topic));
            }
        }
        LOG.debug("client {} connected as '{}' (protocol {})", session.name(), user, version);
    }

    private void onHubEvent(HubEvent event) {
        synchronized (mirrorLock) {
            if (event instanceof HubEvent.Added) {
                enqueueOptions(event.key());
            }
            enqueue(new EventFrame(event));
        }
    }

    /** Version 2: tells the client the options of a topic that has other than the default ones. */
    private void enqueueOptions(Key topic) {
        if (version >= 2) {
            int replay = hub.topicOptions(topic).map(TopicOptions::replay).orElse(0);
            if (replay > 0) {
                enqueue(new TopicOptionsFrame(replay, topic));
            }
        }
    }

    /** Version 2: declares a topic in the hub for this connection, or tells the client why not. */
    private void onDeclare(DeclareFrame declare) {
        String refusal = null;
        if (declarations.containsKey(declare.id())) {
            refuse(ErrorCode.DUPLICATE_SUBSCRIPTION, "declaration id " + declare.id()
                    + " is already live on this connection; expected a new id");
            return;
        }
        int patternLength = declare.pattern().toString().getBytes(StandardCharsets.UTF_8).length;
        if (patternLength > options.maxPatternLength()) {
            refusal = "pattern of declaration " + declare.id() + " is " + patternLength
                    + " bytes; this broker allows at most " + options.maxPatternLength();
        } else if (declare.replay() > options.maxBufferSize()) {
            refusal = "replay " + declare.replay() + " of '" + declare.pattern() + "' exceeds this broker's maximum "
                    + options.maxBufferSize() + " (its largest subscriber buffer)";
        } else if (declarations.size() >= options.maxSubscriptions()) {
            refusal = "declaration of '" + declare.pattern() + "' would be number " + (declarations.size() + 1)
                    + "; this broker allows at most " + options.maxSubscriptions() + " per connection";
        } else {
            refusal = declare(declare);
        }
        if (refusal != null) {
            synchronized (mirrorLock) {
                enqueue(new DeclarationRefusedFrame(declare.id(), refusal));
            }
        }
    }

    /** Reserves the declaration's replay bytes, then declares the topic; returns why not when it cannot. */
    private @Nullable String declare(DeclareFrame declare) {
        long bytes = (long) declare.replay() * options.maxFrameLength();
        ByteBudget full = replayBudget.tryReserve(bytes);
        if (full != null) {
            return "replay " + declare.replay() + " of '" + declare.pattern() + "' counts " + bytes + " bytes ("
                    + declare.replay() + " messages of up to " + options.maxFrameLength() + " bytes, this broker's "
                    + "largest frame), more than the " + full + " leaves; expected a smaller replay or fewer "
                    + "declarations";
        }
        Disposable declared;
        try {
            declared = hub.declare(declare.pattern(), TopicOptions.defaults().replay(declare.replay()));
        } catch (IllegalStateException e) {
            replayBudget.release(bytes);
            return e.getMessage();
        }
        declarations.put(declare.id(), () -> {
            declared.dispose();
            replayBudget.release(bytes);
        });
        return null;
    }

    private void enqueue(Frame frame) {
        FrameQueue.Offer offer = control.offer(frame);
        if (offer == FrameQueue.Offer.FULL) {
            refuse(ErrorCode.OVERLOADED, "the client fell " + control.size() + " control frames ("
                    + control.bytes() + " bytes; at most " + options.maxControlFrames() + " frames and "
                    + options.maxControlBytes() + " bytes may wait) behind: topic snapshot, events and replies;"
                    + " reconnect to resynchronize");
        }
    }

    private void onSubscribe(SubscribeFrame subscribe) {
        int patternLength = subscribe.pattern().toString().getBytes(StandardCharsets.UTF_8).length;
        if (patternLength > options.maxPatternLength()) {
            refuse(ErrorCode.PATTERN_TOO_LONG, "pattern of subscription " + subscribe.id() + " is " + patternLength
                    + " bytes; this broker allows at most " + options.maxPatternLength());
            return;
        }
        if (subscriptions.containsKey(subscribe.id())) {
            refuse(ErrorCode.DUPLICATE_SUBSCRIPTION, "subscription id " + subscribe.id()
                    + " is already live on this connection; expected a new id");
            return;
        }
        if (subscriptions.size() >= options.maxSubscriptions()) {
            refuse(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscription " + subscribe.id() + " to '"
                    + PeerText.escape(subscribe.pattern().toString()) + "' would be number "
                    + (subscriptions.size() + 1) + "; this broker allows at most " + options.maxSubscriptions()
                    + " per connection");
            return;
        }
        int bufferSize = Math.min(subscribe.bufferSize(), options.maxBufferSize());
        BrokerSubscription[] self = new BrokerSubscription[1];
        BrokerSubscription s = new BrokerSubscription(subscribe.id(), subscribe.pattern(), bufferSize,
                options.maxBufferBytes(), subscribe.overflow(), codec, budget, version >= 2, options.scheduler(),
                () -> subscriptions.remove(subscribe.id(), self[0]));
        self[0] = s;
        subscriptions.put(subscribe.id(), s);
        s.start(hub);
        if (sources.tryEmitNext(s).isFailure()) {
            s.cancel(); // the connection is closing
        }
    }

    private void onPublish(PublishFrame publish) {
        Key key = publish.key();
        if (key.startsWith(Hub.ADDED_SUBSCRIBER) || key.startsWith(Hub.REMOVED_SUBSCRIBER)) {
            refuse(ErrorCode.FORBIDDEN_KEY, "PUBLISH to '" + PeerText.escape(key.toString()) + "': the hub's meta "
                    + "topics (" + Hub.ADDED_SUBSCRIBER + ".*, " + Hub.REMOVED_SUBSCRIBER + ".*) are published by the "
                    + "hub only; expected another key");
            return;
        }
        Object payload;
        try {
            payload = codec.decode(publish.payload());
        } catch (RuntimeException e) {
            refuse(ErrorCode.PROTOCOL_ERROR, "the payload of a PUBLISH to '" + PeerText.escape(key.toString())
                    + "' cannot be decoded by the broker's codec: "
                    + PeerText.escape(String.valueOf(e.getMessage()), 256));
            return;
        }
        hub.publish(publish.key(), payload);
    }

    /** Sends ERROR, then closes (the frame goes out directly, ahead of whatever the outbound merge still holds). */
    private void refuse(ErrorCode code, String reason) {
        refuse(code, reason, Duration.ZERO);
    }

    /** {@link #refuse} after the failed-login delay; frames arriving meanwhile are ignored. */
    private void refuseLater(ErrorCode code, String reason) {
        refuse(code, reason, options.loginFailureDelay());
    }

    private void refuse(ErrorCode code, String reason, Duration delay) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.warn("closing connection of {}: {} {}", session.name(), code, reason);
        Mono<Void> wait = delay.isZero() ? Mono.empty() : Mono.delay(delay, options.scheduler()).then();
        wait.then(Mono.defer(() -> session.send(new ErrorFrame(code, reason))))
                .onErrorResume(error -> Mono.empty())
                .then(Mono.defer(session::close))
                .subscribe();
    }

    private void release() {
        closing = true;
        control.close();
        sources.tryEmitComplete();
        Disposable d = events;
        if (d != null) {
            d.dispose();
        }
        for (BrokerSubscription s : subscriptions.values()) {
            s.unsubscribe();
        }
        subscriptions.clear();
        declarations.values().forEach(Disposable::dispose);
        declarations.clear();
        replayBudget.close();
        budget.close(); // returns to the broker whatever a discarded frame may still hold
    }

    /** @return the bytes counted for this connection's live declarations (tests) */
    long replayBytes() {
        return replayBudget.used();
    }

    /** @return the bytes this connection holds (tests) */
    long bufferedBytes() {
        return budget.used();
    }

    /** @return how many remote subscriptions are live (tests) */
    int subscriptions() {
        return subscriptions.size();
    }

    private static String describe(Frame frame) {
        if (frame instanceof MalformedFrame malformed) {
            ProtocolException e = malformed.error();
            return "a malformed frame (" + PeerText.escape(String.valueOf(e.getMessage()), 256) + ")";
        }
        return frame.getClass().getSimpleName().replace("Frame", "").toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Serves one session with a budget and a login throttle of its own (a broker shares them between connections):
     * for sessions that are not TCP connections of a {@link PubSubServer}, e.g. in-memory ones in tests.
     *
     * @param hub the hub to expose
     * @param codec the payload codec
     * @param options limits and heartbeats
     * @param session the session of frames
     * @return completes once the session closed and everything was released
     */
    public static Publisher<Void> serve(Hub hub, Codec<Object> codec, PubSubServerOptions options,
            Session<Frame, Frame> session) {
        return serve(hub, codec, options, session, new ByteBudget("broker buffer", options.maxBrokerBufferBytes(),
                null), new LoginThrottle(options), session.name());
    }

    /** Adapts {@link #serve()} for a session handler of a broker. */
    static Publisher<Void> serve(Hub hub, Codec<Object> codec, PubSubServerOptions options,
            Session<Frame, Frame> session, ByteBudget brokerBudget, LoginThrottle throttle, String source) {
        return new BrokerConnection(hub, codec, options, session, brokerBudget, throttle, source).serve();
    }
}
