package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.internal.Backoff;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A hub's connection to Redis and its reconnection, reported as {@link ConnectionStatus}:
 *
 * <pre>
 *   connect (CONNECTING, then RECONNECTING) ── both connections up ──► activate: the {@link Link} becomes current
 *      ▲                 │ an attempt fails            and every subscription is sent on it ({@link Listener#linkUp})
 *      │                 ▼                                     │ every subscription confirmed
 *   back-off ◄── failed (DISCONNECTED): the link dies,   ready (CONNECTED): {@link Listener#linkReady}
 *   (min·2^n, jitter)  its connections close,                  │ one of its connections closes
 *                      {@link Listener#linkLost}  ◄────────────┘
 * </pre>
 *
 * The hub reconnects itself: Lettuce's own reconnection is switched off for clients the hub creates, and connections
 * of a client passed by the user are closed on loss (a link is lost as a whole).
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>The hub lock</b> ({@link #lock}) guards {@code link}, {@code closed}, {@link Link#dead} and
 *       {@code failures} here, and the subscription tables in {@link Subscriptions}. A link becomes current and every
 *       subscription is sent on it in one hold of the lock ({@link Listener#linkUp}), so a subscription made at any
 *       moment is sent exactly once on each link: before, it is in the tables that {@code linkUp} sends; after, it
 *       sees the new link and sends itself. {@code link} and {@code closed} are volatile for the readers that do not
 *       take the lock (publishing, queries).</li>
 *   <li><b>One step at a time.</b> {@code connect} runs once from {@link #start}, then only from the back-off timer,
 *       which {@code failed} arms once per failed attempt or lost link (a link dies once: {@code dead} is set under
 *       the lock). So attempts never overlap, and {@code attempted} and {@code generations} are confined to them.</li>
 *   <li><b>Status</b> changes one at a time under {@code statusLock}; {@code CLOSED} is final. {@code CONNECTED} is
 *       emitted only while its link is still current and alive (checked under {@code statusLock}): a loss is marked
 *       under the hub lock before its {@code DISCONNECTED} is emitted, so a late {@code CONNECTED} can never follow
 *       it.</li>
 *   <li>{@code listener} and {@code arrivals} are written once by {@link #start}, before the first attempt that
 *       reads them.</li>
 * </ul>
 */
final class Connector {

    private static final Logger LOG = Loggers.getLogger(Connector.class);

    /** What the rest of the hub does as links come and go. */
    interface Listener {

        /**
         * Under the hub lock: {@code l} has just become the current link; send every subscription on it.
         *
         * @return the confirmations of what was sent
         */
        List<CompletableFuture<Void>> linkUp(Link l);

        /** Every subscription sent by {@link #linkUp} is confirmed: {@code l} is ready (outside the lock). */
        void linkReady(Link l);

        /** {@code l} died: forget what ran on it (outside the lock, before its connections are closed). */
        void linkLost(Link l);
    }

    /** The hub lock: see the class notes. */
    final Object lock = new Object();

    private final Backend backend;
    private final RedisHubOptions options;
    private final Backoff backoff;
    private final String name;

    private final Sinks.Many<ConnectionStatus> statusSink = Sinks.many().replay().latest();
    private final Object statusLock = new Object();
    private final Disposable.Swap attempt = Disposables.swap();

    private volatile ConnectionStatus status = ConnectionStatus.CONNECTING;
    /** The current link; null while disconnected. Written under the hub lock. */
    private volatile @Nullable Link link;
    /** Written under the hub lock. */
    private volatile boolean closed;
    /** Failed attempts and lost links in a row; under the hub lock. */
    private int failures;
    /** Confined to the attempts (see the class notes). */
    private boolean attempted;
    private int generations;

    private @Nullable Listener listener;
    private @Nullable RedisPubSubListener<String, byte[]> arrivals;

    Connector(Backend backend, RedisHubOptions options) {
        this.backend = backend;
        this.options = options;
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff(), options.jitter());
        this.name = backend.name();
        statusSink.tryEmitNext(ConnectionStatus.CONNECTING);
    }

    /**
     * Starts connecting, in the background.
     *
     * @param listener what the hub does as links come and go
     * @param arrivals receives the messages of every pub/sub connection
     */
    void start(Listener listener, RedisPubSubListener<String, byte[]> arrivals) {
        this.listener = listener;
        this.arrivals = arrivals;
        connect();
    }

    /** @return where the hub connects, for logs and errors */
    String name() {
        return name;
    }

    /** @return the current link, null while disconnected (it may still be confirming: see {@link Link#ready}) */
    @Nullable Link link() {
        return link;
    }

    /** @return the current link once ready, else null */
    @Nullable Link readyLink() {
        Link l = link;
        return l != null && l.ready ? l : null;
    }

    boolean isClosed() {
        return closed;
    }

    ConnectionStatus currentStatus() {
        return status;
    }

    Flux<ConnectionStatus> status() {
        return statusSink.asFlux();
    }

    /** @return an error saying that {@code what} needs a connection, and the status now */
    RedisHubException notConnected(String what) {
        return new RedisHubException(RedisHubException.Reason.NOT_CONNECTED, "cannot " + what + ": redis hub "
                + name + " is " + status);
    }

    // ------------------------------------------------------------------------------------------------- the loop

    private void connect() {
        if (closed) {
            return;
        }
        setStatus(attempted ? ConnectionStatus.RECONNECTING : ConnectionStatus.CONNECTING, null);
        attempted = true;
        int generation = ++generations;
        CompletableFuture<? extends StatefulRedisPubSubConnection<String, byte[]>> pubsub = backend.connectPubSub();
        CompletableFuture<Backend.Commands> commands = backend.connectCommands(true);
        CompletableFuture.allOf(pubsub, commands).whenComplete((ignored, error) -> {
            if (error != null) {
                pubsub.thenAccept(StatefulConnection::closeAsync);
                commands.thenAccept(c -> c.connection().closeAsync());
                failed(null, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            activate(new Link(generation, Objects.requireNonNull(pubsub.getNow(null)),
                    Objects.requireNonNull(commands.getNow(null)), options.maxInFlight(), name, this::failed));
        });
    }

    private void activate(Link l) {
        Listener hub = Objects.requireNonNull(listener);
        List<CompletableFuture<Void>> confirmations = null;
        synchronized (lock) {
            if (!closed) {
                link = l;
                l.listen(Objects.requireNonNull(arrivals));
                confirmations = hub.linkUp(l);
            }
        }
        if (confirmations == null) {
            l.close(); // closed meanwhile
            return;
        }
        if (!l.isOpen()) { // closed before the listener was added: no event will say so
            failed(l, new IllegalStateException("connection to " + name + " closed while connecting"));
            return;
        }
        CompletableFuture.allOf(confirmations.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
            if (error != null) {
                LOG.warn("redis {}: a subscription was not confirmed ({}); going on", name,
                        ChannelNames.printable(error.toString()));
            }
            synchronized (lock) {
                if (link != l || l.dead) {
                    return;
                }
                l.ready = true;
                failures = 0;
            }
            LOG.debug("connected to redis {}", name);
            setStatus(ConnectionStatus.CONNECTED, l);
            hub.linkReady(l);
        });
    }

    /**
     * A connection attempt failed ({@code l} null) or a connection of link {@code l} was lost (from any thread, any
     * number of times: the first call for a link acts).
     */
    void failed(@Nullable Link l, Throwable error) {
        Duration delay;
        synchronized (lock) {
            if (l != null) {
                if (l.dead) {
                    return;
                }
                l.dead = true;
                if (link == l) {
                    link = null;
                }
            }
            delay = backoff(failures++, ThreadLocalRandom.current().nextDouble());
        }
        if (l != null) {
            Objects.requireNonNull(listener).linkLost(l);
            l.close();
        }
        if (closed) {
            return;
        }
        if (l != null) {
            LOG.warn("connection to redis {} lost ({}); reconnecting in {} ms", name,
                    ChannelNames.printable(error.toString()), delay.toMillis());
        } else {
            LOG.debug("connecting to redis {} failed ({}); retrying in {} ms", name,
                    ChannelNames.printable(error.toString()), delay.toMillis());
        }
        setStatus(ConnectionStatus.DISCONNECTED, null);
        // after close() disposed it, the swap disposes this timer at once
        attempt.update(Mono.delay(delay, options.scheduler()).subscribe(tick -> connect()));
    }

    /**
     * @param failures failures in a row so far, from 0
     * @param random a value in {@code [0, 1)}
     * @return {@code min(max, min * 2^failures)}, varied by the jitter and kept within {@code [min, max]}
     */
    Duration backoff(int failures, double random) {
        return backoff.delay(failures, random);
    }

    /** @param of for {@code CONNECTED}: the link it reports, emitted only while current and alive; else null */
    private void setStatus(ConnectionStatus next, @Nullable Link of) {
        synchronized (statusLock) {
            if (status == next || status == ConnectionStatus.CLOSED || (of != null && (link != of || of.dead))) {
                return;
            }
            status = next;
            statusSink.tryEmitNext(next);
            if (next == ConnectionStatus.CLOSED) {
                statusSink.tryEmitComplete();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ closing

    /**
     * Closes, once: stops reconnecting, takes the link away (later publishes see the hub closed), runs
     * {@code endSubscribers}, then closes the connections (the command connection after writing what its writer
     * holds), shuts down a client the hub owns, and reports {@code CLOSED}. Never blocks.
     *
     * @param endSubscribers ends the hub's subscribers (after {@code closed} is set, so no new topic appears)
     */
    void close(Runnable endSubscribers) {
        Link l;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            l = link;
            link = null;
            if (l != null) {
                l.dead = true;
            }
        }
        attempt.dispose();
        endSubscribers.run();
        CompletableFuture<Void> connections = l != null ? l.close() : CompletableFuture.completedFuture(null);
        connections.handle((v, e) -> null)
                .thenCompose(v -> backend.shutdown())
                .whenComplete((v, e) -> setStatus(ConnectionStatus.CLOSED, null));
    }
}
