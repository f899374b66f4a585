package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.session.SessionStats;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessionServer;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpServer;

/**
 * A broker: exposes any {@link Hub} over TCP to {@link RemoteHub} clients, with the protocol of
 * {@code docs/wire-protocol.md}.
 *
 * <pre>{@code
 * Hub hub = Hub.create();
 * PubSubServer server = PubSubServer.bind(hub, codec, PubSubServerOptions.defaults().credentials("u", "p"),
 *         TcpServer.create().host("0.0.0.0").port(7400)).block();
 * ...
 * server.disposeNow();
 * }</pre>
 *
 * <h2>What it does per connection</h2>
 * Checks the HELLO's version range and credentials ({@link PubSubServerOptions#authenticator}); sends the hub's
 * topics and then every subscriber change (so clients answer {@code topics} and {@code subscriberCount} from a
 * mirror); subscribes to the hub for each SUBSCRIBE with the client's buffer size (at most
 * {@link PubSubServerOptions#maxBufferSize()}) and overflow policy; publishes each PUBLISH; exchanges heartbeats.
 * Remote payloads are decoded with the codec before they enter the hub, and hub payloads are encoded with it for
 * each remote subscriber, so in-process and remote publishers and subscribers of the same hub see the same objects.
 *
 * <h2>Backpressure and isolation</h2>
 * A remote subscription receives MESSAGE frames only against the credit its client granted (its subscriber's
 * demand), and only as fast as its connection's socket takes bytes. What the hub publishes beyond that waits,
 * encoded, in that subscription's buffer on the broker, bounded by count ({@link PubSubServerOptions#maxBufferSize})
 * and by bytes per subscription ({@link PubSubServerOptions#maxBufferBytes}), per connection
 * ({@link PubSubServerOptions#maxConnectionBufferBytes}, which also covers the connection's outbound prefetch) and
 * per broker ({@link PubSubServerOptions#maxBrokerBufferBytes}); at each bound the subscription's overflow policy
 * applies. So a slow or stalled client costs the server at most those bounded buffers, plus what Reactor Netty holds
 * for the writes of its socket (its send prefetch: 128 frames of at most {@link PubSubServerOptions#maxFrameLength}
 * bytes, system property {@code reactor.netty.send.maxPrefetchSize}), and
 * never slows the publishers or other connections.
 *
 * <h2>Limits and faults</h2>
 * Frame size, subscriptions per connection and pattern length ({@link PubSubServerOptions}); a violation, a malformed
 * frame, wrong credentials (answered after a delay, and throttled per source address:
 * {@link PubSubServerOptions#loginThrottle}), a PUBLISH into the hub's meta topics, or an unsupported version is
 * answered with an ERROR frame naming it (what the client sent is escaped and cut to a bound), then only that
 * connection is closed (an oversized frame as soon as its length arrived, before its body is read). A connection
 * silent for two to four heartbeat intervals (a dead or half-open peer) is closed. A closed connection's
 * subscriptions are cancelled in the hub.
 *
 * <h2>TLS and everything else Netty</h2>
 * Configure the {@link TcpServer} passed to {@link #bind(Hub, Codec, PubSubServerOptions, TcpServer)}:
 * {@code server.secure(spec -> spec.sslContext(ctx))}, event loops, socket options, metrics, wiretap.
 *
 * <p>Thread-safe. Connections are served on their event loops; {@link #disposeNow()} blocks and must not be called on
 * a non-blocking thread.
 */
public final class PubSubServer implements Disposable {

    private final TcpSessionServer server;
    private final SessionStats connectionStats;
    private final ByteBudget budget;
    private final LoginThrottle throttle;

    private PubSubServer(TcpSessionServer server, SessionStats connectionStats, ByteBudget budget,
            LoginThrottle throttle) {
        this.server = server;
        this.connectionStats = connectionStats;
        this.budget = budget;
        this.throttle = throttle;
    }

    /**
     * Binds a broker on {@code host:port}.
     *
     * @param hub the hub to expose; the broker does not close it
     * @param codec encodes and decodes payloads between the hub and the wire (the clients must use the same format)
     * @param options credentials, limits, heartbeats
     * @param host the address to listen on ({@code "127.0.0.1"}, {@code "0.0.0.0"})
     * @param port the port; 0 picks a free one ({@link #port()})
     * @param <T> the payload type
     * @return a lazy Mono binding on subscription; errors with Reactor Netty's bind error (e.g. the port is in use)
     */
    public static <T> Mono<PubSubServer> bind(Hub hub, Codec<T> codec, PubSubServerOptions options, String host,
            int port) {
        return bind(hub, codec, options, TcpServer.create().host(host).port(port));
    }

    /**
     * Binds a broker with a pre-configured server (TLS, event loops, socket options): the escape hatch. The server's
     * own {@code handle} function is replaced.
     *
     * @param hub the hub to expose; the broker does not close it
     * @param codec encodes and decodes payloads between the hub and the wire
     * @param options credentials, limits, heartbeats
     * @param server the pre-configured server, host and port included
     * @param <T> the payload type
     * @return a lazy Mono binding on subscription
     */
    @SuppressWarnings("unchecked")
    public static <T> Mono<PubSubServer> bind(Hub hub, Codec<T> codec, PubSubServerOptions options,
            TcpServer server) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        Codec<Object> payloads = (Codec<Object>) codec;
        SessionStats connectionStats = SessionStats.create();
        TcpSessionOptions tcp = TcpSessionOptions.defaults()
                .maxFrameLength(options.maxFrameLength())
                .framingErrorReply(FrameCodec::framingError)
                .sessionOptions(SessionOptions.defaults().name("pubsub").scheduler(options.scheduler())
                        .drainTimeout(Duration.ofSeconds(1)).stats(connectionStats));
        return Mono.defer(() -> {
            ByteBudget budget = new ByteBudget("broker buffer", options.maxBrokerBufferBytes(), null);
            LoginThrottle throttle = new LoginThrottle(options);
            return TcpSessions.bind(server, FrameCodec.LENIENT, FrameCodec.STRICT, tcp, session -> BrokerConnection
                            .serve(hub, payloads, options, session, budget, throttle, sourceAddress(session.name())))
                    .map(bound -> new PubSubServer(bound, connectionStats, budget, throttle));
        });
    }

    /** @return the host of a TCP session's name ({@code "pubsub 10.0.0.7:51234"} gives {@code "10.0.0.7"}) */
    static String sourceAddress(String sessionName) {
        int space = sessionName.lastIndexOf(' ');
        int colon = sessionName.lastIndexOf(':');
        return colon > space ? sessionName.substring(space + 1, colon) : sessionName.substring(space + 1);
    }

    /** @return the address the broker listens on */
    public InetSocketAddress address() {
        return server.address();
    }

    /** @return the bound port (the actual one when bound to port 0) */
    public int port() {
        return server.port();
    }

    /**
     * @return the bytes counted against {@link PubSubServerOptions#maxBrokerBufferBytes()} now (all connections):
     *     messages waiting on this broker for remote subscribers, and the live declarations' replays (each at
     *     {@code replay ×} {@link PubSubServerOptions#maxFrameLength()}, see
     *     {@link PubSubServerOptions#maxReplayBytes(long)})
     */
    public long bufferedBytes() {
        return budget.used();
    }

    /** @return how many source addresses the failed-login throttle tracks (tests) */
    int throttledAddresses() {
        return throttle.addresses();
    }

    /** @return how many client connections are open */
    public int connections() {
        return server.activeSessions();
    }

    /**
     * The totals of every client connection this broker served: frames and bytes each way, heartbeats, closes by
     * reason, open connections ({@code SessionMetrics} binds them). Messages, subscribers and drops are counted by
     * the exposed hub's {@link Hub#stats()}.
     *
     * @return the connections' stats
     */
    public SessionStats connectionStats() {
        return connectionStats;
    }

    /**
     * Stops accepting connections and closes every connection (their subscriptions are cancelled in the hub).
     * Returns at once; idempotent. The hub is not closed.
     */
    @Override
    public void dispose() {
        server.dispose();
    }

    @Override
    public boolean isDisposed() {
        return server.isDisposed();
    }

    /**
     * Disposes the broker and waits until the listening socket and every connection are closed.
     *
     * @param timeout how long to wait at most
     * @throws IllegalStateException when something is still open after the timeout
     */
    public void disposeNow(Duration timeout) {
        server.disposeNow(timeout);
    }

    /**
     * {@link #disposeNow(Duration)} with a timeout of 5 seconds.
     *
     * @throws IllegalStateException when something is still open after 5 seconds
     */
    public void disposeNow() {
        server.disposeNow();
    }

    /** @return completes once the broker was disposed and every connection closed */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    @Override
    public String toString() {
        return "PubSubServer[" + address() + ", " + connections() + " connections]";
    }
}
