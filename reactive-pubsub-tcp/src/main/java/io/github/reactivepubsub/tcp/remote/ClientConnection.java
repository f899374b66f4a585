package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.wire.DeclarationRefusedFrame;
import io.github.reactivepubsub.tcp.wire.DroppedFrame;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.EventFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameQueue;
import io.github.reactivepubsub.tcp.wire.HeartbeatFrame;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import io.github.reactivepubsub.tcp.wire.TopicFrame;
import io.github.reactivepubsub.tcp.wire.TopicOptionsFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One connection of a {@link RemoteHub} to its broker: the handshake (HELLO → WELCOME and the topic snapshot), then
 * the dispatch of inbound frames to the hub's subscriptions and mirror, and the bounded queue of outbound frames.
 *
 * <p>Inbound frames are handled on the session's inbound thread, one at a time, with unbounded demand: every
 * MESSAGE was sent against credit, so nothing piles up here. {@link #ended()} errors once the connection is lost,
 * with the broker's ERROR as a {@link RemoteHubException} when it sent one, or a {@link ProtocolException} naming
 * the broker's violation when this side closed the connection for one (a frame not allowed in that direction,
 * version or state, such as a version 2 frame on a version 1 connection or a DROPPED for a subscription under ERROR;
 * a WELCOME outside what HELLO offered; a mirror of the broker's topics beyond its bounds). Whatever ends the
 * handshake or the inbound frames (a violation, an exception while handling a frame) closes the session: a failed
 * attempt never leaves its socket open.
 */
final class ClientConnection {

    private static final Logger LOG = Loggers.getLogger(ClientConnection.class);

    private final Session<Frame, Frame> session;
    private final RemoteHub hub;
    private final FrameQueue out;
    private final Sinks.One<ClientConnection> ready = Sinks.one();
    private final Sinks.Empty<Void> ended = Sinks.empty();
    private final Sinks.Empty<Void> written = Sinks.empty();
    private final AtomicInteger subscriptions = new AtomicInteger();

    /** The broker's topics: the snapshot (complete once ready), then the events. */
    private final TopicMirror mirror;
    private final int maxMirroredTopics;
    /** The versions HELLO offered (set before the first inbound frame). */
    private int minVersion;
    private int maxVersion;

    /** Inbound thread only, until {@link #ready} (published by it). */
    private @Nullable WelcomeFrame welcome;
    /** Inbound thread only: the TOPIC_OPTIONS waiting for the TOPIC or joining EVENT of its topic. */
    private @Nullable TopicOptionsFrame pendingOptions;
    private int snapshotLeft;
    private boolean isReady;
    /** {@link #isReady} for other threads: set before {@link #ready} emits. */
    private volatile boolean welcomedAndSynchronized;
    private volatile @Nullable RemoteHubException peerError;
    /** The broker's protocol violation for which this side closed the connection. */
    private volatile @Nullable ProtocolException violation;
    /** What handling an inbound frame threw, for which this side closed the connection. */
    private volatile @Nullable RuntimeException failure;
    private volatile @Nullable Throwable lossReason;
    /** Set when the hub closes this connection itself (not a loss). */
    private volatile boolean closedLocally;

    ClientConnection(Session<Frame, Frame> session, RemoteHub hub, RemoteHubOptions options) {
        this.session = session;
        this.hub = hub;
        this.out = new FrameQueue(options.maxPendingFrames());
        this.mirror = new TopicMirror(options.maxMirroredTopics(), options.maxMirroredKeyBytes());
        this.maxMirroredTopics = options.maxMirroredTopics();
    }

    /**
     * Sends HELLO; emits this connection once WELCOME and the snapshot arrived, or the error that ended it (the
     * session is closed then).
     */
    Mono<ClientConnection> handshake(HelloFrame hello) {
        minVersion = hello.minVersion();
        maxVersion = hello.maxVersion();
        try {
            start(hello);
        } catch (RuntimeException e) {
            close();
            return Mono.error(e);
        }
        // A cancel before WELCOME and the snapshot (a handshake timeout, the hub closing) abandons the connection.
        // Once ready, the connection belongs to the hub: a cancel that still reaches this point (Mono.flatMap cancels
        // its completed source when the hub stops its connection loop in close()) must not close it, or the
        // graceful close would find the frames reported as SENT discarded with the channel.
        return ready.asMono().doOnCancel(() -> {
            if (!welcomedAndSynchronized) {
                session.close();
            }
        });
    }

    private void start(HelloFrame hello) {
        session.sendAll(out).subscribe(null, error -> {
            LOG.debug("sending to broker {} ended: {}", name(), error.toString());
            written.tryEmitEmpty();
            session.close();
        }, written::tryEmitEmpty);
        out.offer(hello);
        session.inbound().subscribe(this::onFrame, this::onEnd, () -> onEnd(null));
    }

    /**
     * @return errors with the reason once the connection is lost; completes when the hub is closed (a connection
     *     ending after the hub closed is no loss, and the hub's attempt subscriber is already cancelled then, so an
     *     error would only be dropped)
     */
    Mono<Void> ended() {
        return ended.asMono().then(Mono.defer(() -> {
            if (closedLocally || hub.isClosed()) {
                return Mono.empty();
            }
            Throwable reason = lossReason;
            return Mono.error(reason != null ? reason
                    : new IllegalStateException("connection to broker " + name() + " ended"));
        }));
    }

    String name() {
        return session.name();
    }

    WelcomeFrame welcome() {
        WelcomeFrame w = welcome;
        if (w == null) {
            throw new IllegalStateException("connection " + name() + " has not been welcomed yet");
        }
        return w;
    }

    /** @return the broker's topics: the snapshot received after WELCOME (complete once ready), then its events */
    TopicMirror mirror() {
        return mirror;
    }

    /** @return whether the broker speaks version 2 (declarations) on this connection */
    boolean declares() {
        return welcome().version() >= 2;
    }

    /** @return {@link FrameQueue.Offer} of queueing a frame for writing */
    FrameQueue.Offer send(Frame frame) {
        FrameQueue.Offer offer = out.offer(frame);
        if (offer == FrameQueue.Offer.FULL && !(frame instanceof PublishFrame)) {
            // a subscription's frame could not be queued: resynchronize all of them on a new connection
            LOG.warn("{} frames wait for broker {}; reconnecting to resynchronize subscriptions", out.size(), name());
            close();
        }
        return offer;
    }

    boolean reserveSubscription() {
        if (subscriptions.incrementAndGet() > welcome().maxSubscriptions()) {
            subscriptions.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseSubscription() {
        subscriptions.decrementAndGet();
    }

    void close() {
        out.close();
        session.close();
    }

    /** Writes the frames already queued (what publishes reported as SENT), then closes; at most {@code grace}. */
    Mono<Void> closeGracefully(Duration grace, reactor.core.scheduler.Scheduler scheduler) {
        closedLocally = true;
        out.complete();
        return Mono.firstWithSignal(written.asMono(), Mono.delay(grace, scheduler).then())
                .onErrorResume(error -> Mono.empty())
                .then(Mono.defer(() -> {
                    out.close();
                    return session.close();
                }));
    }

    private void onFrame(Frame frame) {
        if (violation != null || failure != null) {
            return; // closing for the broker's violation (or a failure): nothing it sent after it counts
        }
        try {
            dispatch(frame);
        } catch (RuntimeException e) {
            // a bug rather than the broker's doing (its violations are caught before): still, never keep the socket
            LOG.error("handling a frame of broker {} failed; closing the connection", name(), e);
            failure = e;
            close();
        }
    }

    private void dispatch(Frame frame) {
        if (frame instanceof MessageFrame message) {
            ClientSubscription s = hub.subscription(message.id());
            if (s != null) {
                s.onMessage(this, message);
            }
        } else if (frame instanceof DroppedFrame dropped) {
            onDropped(dropped);
        } else if (frame instanceof EventFrame event) {
            onEvent(event);
        } else if (frame instanceof TopicOptionsFrame options) {
            onTopicOptions(options);
        } else if (frame instanceof DeclarationRefusedFrame refused) {
            if (isVersion2("DECLARATION_REFUSED")) {
                hub.declarationRefused(refused.id(), refused.reason(), name());
            }
        } else if (frame instanceof SubscriptionEndFrame end) {
            ClientSubscription s = hub.subscription(end.id());
            if (s != null) {
                s.onEnd(this, end);
            }
        } else if (frame instanceof HeartbeatFrame) {
            // activity only
        } else if (frame instanceof WelcomeFrame w && welcome == null) {
            onWelcome(w);
        } else if (frame instanceof TopicFrame topic && welcome != null && snapshotLeft > 0) {
            Integer replay = announcedReplay(topic.topic(), true, "TOPIC");
            if (violation == null && mirrored(topic.topic(), topic.subscriberCount(), replay)) {
                snapshotLeft--;
                readyIfSynchronized();
            }
        } else if (frame instanceof ErrorFrame error) {
            peerError = new RemoteHubException(error.code(), PeerText.escape(error.reason(), 512) + " (broker "
                    + name() + ")");
            close();
        } else {
            violation("broker " + name() + " sent an unexpected " + PeerText.escape(String.valueOf(frame), 256));
        }
    }

    /** WELCOME: its version must be one HELLO offered, its heartbeat interval positive, its snapshot mirrorable. */
    private void onWelcome(WelcomeFrame w) {
        if (w.version() < minVersion || w.version() > maxVersion) {
            violation("broker " + name() + " sent WELCOME with version " + w.version() + "; expected one of the "
                    + "versions HELLO offered, " + minVersion + ".." + maxVersion);
            return;
        }
        if (w.heartbeatMillis() < 1) {
            violation("broker " + name() + " sent WELCOME with heartbeatMillis " + w.heartbeatMillis()
                    + "; expected 1.." + Integer.MAX_VALUE + " ms");
            return;
        }
        if (w.snapshotTopics() > maxMirroredTopics) {
            violation("broker " + name() + " sent WELCOME announcing " + w.snapshotTopics() + " snapshot topics; "
                    + "expected at most " + maxMirroredTopics + " (RemoteHubOptions.maxMirroredTopics)");
            return;
        }
        welcome = w;
        long interval = w.heartbeatMillis();
        session.startHeartbeats(Duration.ofMillis(interval), Duration.ofMillis(2 * interval),
                () -> HeartbeatFrame.INSTANCE);
        snapshotLeft = w.snapshotTopics();
        readyIfSynchronized();
    }

    /** EVENT: mirrored once ready (the broker sends events only after its snapshot). */
    private void onEvent(EventFrame frame) {
        HubEvent event = frame.event();
        Integer replay = announcedReplay(event.key(), event instanceof HubEvent.Added, "EVENT");
        if (violation != null || !isReady) {
            return;
        }
        if (event.subscriberCount() == 0) {
            mirror.remove(event.key());
        } else if (!mirrored(event.key(), event.subscriberCount(), replay)) {
            return;
        }
        hub.onEvent(event);
    }

    /**
     * TOPIC_OPTIONS (version 2): held until the next TOPIC or EVENT frame, which must be the TOPIC or joining EVENT
     * of the same topic (the broker sends it right before them): so the options of unknown topics never pile up.
     */
    private void onTopicOptions(TopicOptionsFrame options) {
        if (!isVersion2("TOPIC_OPTIONS")) {
            return;
        }
        TopicOptionsFrame pending = pendingOptions;
        if (pending != null) {
            violation("broker " + name() + " sent TOPIC_OPTIONS of '" + PeerText.escape(options.topic().toString())
                    + "' after TOPIC_OPTIONS of '" + PeerText.escape(pending.topic().toString())
                    + "'; expected the TOPIC or joining EVENT of '" + PeerText.escape(pending.topic().toString())
                    + "' between them");
            return;
        }
        pendingOptions = options;
    }

    /**
     * Takes the TOPIC_OPTIONS held for the TOPIC or EVENT frame of {@code topic}; a violation if it announced another
     * topic, or precedes an EVENT of a subscriber leaving.
     *
     * @return the announced replay count, or null when no TOPIC_OPTIONS came before (or on a violation)
     */
    private @Nullable Integer announcedReplay(Key topic, boolean announceable, String frameType) {
        TopicOptionsFrame pending = pendingOptions;
        if (pending == null) {
            return null;
        }
        pendingOptions = null;
        if (!announceable || !pending.topic().equals(topic)) {
            violation("broker " + name() + " sent TOPIC_OPTIONS of '" + PeerText.escape(pending.topic().toString())
                    + "' followed by " + (announceable ? "" : "a leaving ") + frameType + " of '"
                    + PeerText.escape(topic.toString()) + "'; expected the TOPIC or joining EVENT of the same topic");
            return null;
        }
        return pending.replay();
    }

    /** @return false when the mirror's bounds refused the topic: a violation then */
    private boolean mirrored(Key topic, int subscriberCount, @Nullable Integer replay) {
        String exceeded = mirror.put(topic, subscriberCount, replay);
        if (exceeded != null) {
            violation("broker " + name() + " sent topic '" + PeerText.escape(topic.toString()) + "', but " + exceeded);
            return false;
        }
        return true;
    }

    /** @return whether a version 2 frame came on a version 2 connection; else a violation */
    private boolean isVersion2(String frameType) {
        WelcomeFrame w = welcome;
        if (w != null && w.version() >= 2) {
            return true;
        }
        violation("broker " + name() + " sent " + frameType + ", a version 2 frame, on a "
                + (w == null ? "connection not welcomed yet" : "version " + w.version() + " connection"));
        return false;
    }

    /** A DROPPED frame: version 2 only, for a subscription whose policy drops; an unknown id is ignored. */
    private void onDropped(DroppedFrame dropped) {
        if (!isVersion2("DROPPED")) {
            return;
        }
        ClientSubscription s = hub.subscription(dropped.id()); // unknown: unsubscribed, the frame was in flight
        if (s != null && !s.onDropped(this, dropped)) {
            violation("broker " + name() + " sent DROPPED (count " + dropped.count() + ") for subscriber "
                    + dropped.id() + " of '" + s.pattern() + "', whose overflow policy ERROR never drops");
        }
    }

    /** Closes the connection for the broker's protocol violation, which {@link #ended()} then reports. */
    private void violation(String what) {
        LOG.warn("{}; closing the connection", what);
        violation = new ProtocolException(-1, what);
        close();
    }

    private void readyIfSynchronized() {
        if (snapshotLeft == 0 && !isReady) {
            isReady = true;
            welcomedAndSynchronized = true;
            ready.tryEmitValue(this);
        }
    }

    private void onEnd(@Nullable Throwable error) {
        close(); // the inbound side ended (also when handling a frame threw): nothing more can come, keep nothing

        RemoteHubException refused = peerError;
        ProtocolException violated = violation;
        RuntimeException failed = failure;
        Throwable reason = refused != null ? refused
                : violated != null ? violated
                : failed != null ? failed
                : error != null ? error
                : new IllegalStateException("connection to broker " + name() + " closed");
        lossReason = reason;
        if (!isReady) {
            ready.tryEmitError(reason);
        }
        ended.tryEmitEmpty(); // the reason goes with ended(): an error here would be dropped when nobody listens
    }
}
