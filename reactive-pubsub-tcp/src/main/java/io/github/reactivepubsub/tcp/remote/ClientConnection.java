package io.github.reactivepubsub.tcp.remote;

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
import java.util.HashMap;
import java.util.Map;
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
 * version or state, such as a DROPPED on a version 1 connection or for a subscription under ERROR).
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

    /** Inbound thread only, until {@link #ready} (published by it). */
    private @Nullable WelcomeFrame welcome;
    private final Map<Key, Integer> snapshot = new HashMap<>();
    /** Version 2: replay counts of the snapshot's topics that have one (complete once ready). */
    private final Map<Key, Integer> snapshotReplays = new HashMap<>();
    private int snapshotLeft;
    private boolean isReady;
    /** {@link #isReady} for other threads: set before {@link #ready} emits. */
    private volatile boolean welcomedAndSynchronized;
    private volatile @Nullable RemoteHubException peerError;
    /** The broker's protocol violation for which this side closed the connection. */
    private volatile @Nullable ProtocolException violation;
    private volatile @Nullable Throwable lossReason;
    /** Set when the hub closes this connection itself (not a loss). */
    private volatile boolean closedLocally;

    ClientConnection(Session<Frame, Frame> session, RemoteHub hub, int maxPendingFrames) {
        this.session = session;
        this.hub = hub;
        this.out = new FrameQueue(maxPendingFrames);
    }

    /** Sends HELLO; emits this connection once WELCOME and the snapshot arrived, or the error that ended it. */
    Mono<ClientConnection> handshake(HelloFrame hello) {
        session.sendAll(out).subscribe(null, error -> {
            LOG.debug("sending to broker {} ended: {}", name(), error.toString());
            written.tryEmitEmpty();
            session.close();
        }, written::tryEmitEmpty);
        out.offer(hello);
        session.inbound().subscribe(this::onFrame, this::onEnd, () -> onEnd(null));
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

    /** @return the topic snapshot received after WELCOME (complete once ready) */
    Map<Key, Integer> snapshot() {
        return snapshot;
    }

    /** @return the replay counts the broker announced for the snapshot's topics (version 2; complete once ready) */
    Map<Key, Integer> snapshotReplays() {
        return snapshotReplays;
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
        if (violation != null) {
            return; // closing for the broker's violation: nothing it sent after it counts
        }
        if (frame instanceof MessageFrame message) {
            ClientSubscription s = hub.subscription(message.id());
            if (s != null) {
                s.onMessage(this, message);
            }
        } else if (frame instanceof DroppedFrame dropped) {
            onDropped(dropped);
        } else if (frame instanceof EventFrame event) {
            if (isReady) {
                hub.onEvent(event.event());
            }
        } else if (frame instanceof TopicOptionsFrame options && welcome != null) {
            if (isReady) {
                hub.onTopicOptions(options.topic(), options.replay());
            } else {
                snapshotReplays.put(options.topic(), options.replay());
            }
        } else if (frame instanceof DeclarationRefusedFrame refused) {
            hub.declarationRefused(refused.id(), refused.reason(), name());
        } else if (frame instanceof SubscriptionEndFrame end) {
            ClientSubscription s = hub.subscription(end.id());
            if (s != null) {
                s.onEnd(this, end);
            }
        } else if (frame instanceof HeartbeatFrame) {
            // activity only
        } else if (frame instanceof WelcomeFrame w && welcome == null) {
            welcome = w;
            long interval = w.heartbeatMillis();
            session.startHeartbeats(Duration.ofMillis(interval), Duration.ofMillis(2 * interval),
                    () -> HeartbeatFrame.INSTANCE);
            snapshotLeft = w.snapshotTopics();
            readyIfSynchronized();
        } else if (frame instanceof TopicFrame topic && welcome != null && snapshotLeft > 0) {
            snapshot.put(topic.topic(), topic.subscriberCount());
            snapshotLeft--;
            readyIfSynchronized();
        } else if (frame instanceof ErrorFrame error) {
            peerError = new RemoteHubException(error.code(), PeerText.escape(error.reason(), 512) + " (broker "
                    + name() + ")");
            close();
        } else {
            violation("broker " + name() + " sent an unexpected " + PeerText.escape(String.valueOf(frame), 256));
        }
    }

    /** A DROPPED frame: version 2 only, for a subscription whose policy drops; an unknown id is ignored. */
    private void onDropped(DroppedFrame dropped) {
        WelcomeFrame w = welcome;
        if (w == null || w.version() < 2) {
            violation("broker " + name() + " sent DROPPED, a version 2 frame, on a "
                    + (w == null ? "connection not welcomed yet" : "version " + w.version() + " connection"));
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
        out.close();
        RemoteHubException refused = peerError;
        ProtocolException violated = violation;
        Throwable reason = refused != null ? refused
                : violated != null ? violated
                : error != null ? error
                : new IllegalStateException("connection to broker " + name() + " closed");
        lossReason = reason;
        if (!isReady) {
            ready.tryEmitError(reason);
        }
        ended.tryEmitEmpty(); // the reason goes with ended(): an error here would be dropped when nobody listens
    }
}
