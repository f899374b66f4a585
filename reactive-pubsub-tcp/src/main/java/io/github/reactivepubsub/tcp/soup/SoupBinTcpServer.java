package io.github.reactivepubsub.tcp.soup;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A SoupBinTCP 3.00 server on Reactor Netty: serves named {@link SoupSession}s (sequenced streams) to clients that
 * log in through the {@link Authenticator} of its {@link SoupServerOptions}, and hands the unsequenced data clients
 * send to the application through {@link #unsequenced()}.
 *
 * <p>Per connection: login within the login timeout, {@code A} + replay from the requested number (1 = first,
 * n = from n, 0 = only new; beyond the end clamped to it) + live messages, a Server Heartbeat after each idle
 * interval, {@code Z} after the last message of an ended session, close on Logout, on client silence beyond the
 * receive timeout and on any protocol error (logged with its reason). Connections are independent: one
 * misbehaving client is closed alone.
 *
 * <p>Threading: thread-safe. Backpressure: each connection reads its session's store at the pace its socket
 * accepts bytes; a slow client falls behind in the store and never slows publishing or other clients.
 *
 * <pre>{@code
 * SoupBinTcpServer server = SoupBinTcpServer.bindNow(0,
 *         SoupServerOptions.defaults().authenticator(Authenticator.of("ABC", "secret")));
 * SoupSession session = server.createSession("SESS1");
 * session.publish("hello");
 * server.unsequenced().subscribe(m -> System.out.println(m.payloadAsString()));
 * }</pre>
 */
public final class SoupBinTcpServer implements Disposable {

    private final SoupServerState state;
    private final DisposableServer server;
    private final Set<Connection> connections;

    private SoupBinTcpServer(SoupServerState state, DisposableServer server, Set<Connection> connections) {
        this.state = state;
        this.server = server;
        this.connections = connections;
    }

    /**
     * Binds a server with a pre-configured {@link TcpServer} (address, TLS, event loops, metrics): the SoupBinTCP
     * decoder is added to each connection's pipeline and the connection handled by this server.
     *
     * @param tcpServer the transport configuration; its own {@code handle} is replaced
     * @param options the SoupBinTCP settings
     * @return a Mono binding on subscription and emitting the bound server
     */
    public static Mono<SoupBinTcpServer> bind(TcpServer tcpServer, SoupServerOptions options) {
        return Mono.defer(() -> {
            SoupServerState state = new SoupServerState(options);
            Set<Connection> connections = ConcurrentHashMap.newKeySet();
            return tcpServer
                    .doOnConnection(connection -> {
                        connections.add(connection);
                        connection.onDispose(() -> connections.remove(connection));
                        connection.addHandlerLast("soup-decoder",
                                new SoupFrameDecoder(SoupPacketType.Sender.CLIENT, options.maxPacketLength(),
                                        state.stats.connections()));
                    })
                    .handle((in, out) -> {
                        SocketAddress[] remote = new SocketAddress[1];
                        in.withConnection(c -> remote[0] = c.channel().remoteAddress());
                        ByteBufAllocator alloc = out.alloc();
                        Flux<Object> packets = new ServerConnection(state, remote[0])
                                .outbound(in.receiveObject().cast(SoupPacket.class));
                        return out.send(packets.map(p -> encodeAndRelease(alloc, p, state.stats))).then();
                    })
                    .bind()
                    .map(bound -> new SoupBinTcpServer(state, bound, connections));
        });
    }

    /**
     * Binds a server on {@code host:port}, blocking until bound (for {@code main} and tests).
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @param options the SoupBinTCP settings
     * @return the bound server
     */
    public static SoupBinTcpServer bindNow(String host, int port, SoupServerOptions options) {
        return bind(TcpServer.create().host(host).port(port), options).block(Duration.ofSeconds(45));
    }

    /**
     * Binds a server on {@code port} of every local address, blocking until bound.
     *
     * @param port the port, 0 for any free one
     * @param options the SoupBinTCP settings
     * @return the bound server
     */
    public static SoupBinTcpServer bindNow(int port, SoupServerOptions options) {
        return bindNow("0.0.0.0", port, options);
    }

    /**
     * Encodes what a connection sends: a {@link SoupPacket} (released here), or a stored {@link SequencedMessage}
     * (an {@code S}).
     */
    static io.netty.buffer.ByteBuf encodeAndRelease(ByteBufAllocator alloc, Object packetOrMessage,
            SoupStats stats) {
        if (packetOrMessage instanceof SequencedMessage message) {
            io.netty.buffer.ByteBuf encoded = SoupCodec.encodeSequenced(alloc, message);
            stats.connections().recordFrameOut(encoded.readableBytes());
            return encoded;
        }
        SoupPacket packet = (SoupPacket) packetOrMessage;
        try {
            io.netty.buffer.ByteBuf encoded = SoupCodec.encode(alloc, packet);
            stats.sent(packet, encoded.readableBytes());
            return encoded;
        } finally {
            ReferenceCountUtil.release(packet);
        }
    }

    /**
     * Creates a session; it becomes the current session (the one a login with a blank session joins).
     *
     * @param name 1 to 10 ASCII characters without surrounding spaces
     * @return the new session, with a store from {@link SoupServerOptions#storeFactory()}
     * @throws IllegalStateException when a session with this name exists
     */
    public SoupSession createSession(String name) {
        return state.createSession(name);
    }

    /**
     * @param name a session name
     * @return that session, or {@code null} if none was created
     */
    public @Nullable SoupSession session(String name) {
        return state.session(name);
    }

    /**
     * Unsequenced data from logged-in clients, in arrival order per client.
     *
     * <p>A hot Flux shared by all subscribers. Backpressure: up to {@link SoupServerOptions#unsequencedBufferSize()}
     * messages and {@link SoupServerOptions#unsequencedBufferBytes()} bytes wait for the slowest subscriber (or for
     * the first one); beyond either bound a message is dropped, counted ({@link #droppedUnsequenced()}) and logged
     * (SoupBinTCP makes no promise for unsequenced data). Signals come on connection event loops: do not block in
     * them. Completes when the server is disposed.
     *
     * @return the unsequenced messages
     */
    public Flux<UnsequencedMessage> unsequenced() {
        return state.unsequenced();
    }

    /**
     * @return this server's totals: its connections' packets, bytes, heartbeats and closes, logins accepted and
     *     rejected, and the current session's next sequence number ({@code SoupMetrics} binds them)
     */
    public SoupStats stats() {
        return state.stats;
    }

    /** @return how many unsequenced messages were dropped because the application did not take them in time */
    public long droppedUnsequenced() {
        return state.droppedUnsequenced();
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    /** Closes the listening socket and every connection (without End of Session). Does not block. */
    @Override
    public void dispose() {
        server.dispose();
        connections.forEach(Connection::dispose);
        state.close();
    }

    /** Like {@link #dispose()}, blocking until closed (for {@code main} and tests). */
    public void disposeNow() {
        connections.forEach(Connection::dispose);
        server.disposeNow();
        state.close();
    }

    @Override
    public boolean isDisposed() {
        return server.isDisposed();
    }

    /** @return completes when the server was disposed */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }
}
