package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.session.IdleTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.retry.Retry;

/**
 * A SoupBinTCP 3.00 client on Reactor Netty for one login: {@link #messages()} connects, logs in and streams the
 * session's sequenced messages with their numbers; {@link #send(byte[])} sends unsequenced data; Client Heartbeats
 * go out after each idle interval; {@link #logout()} ends politely. With a reconnect policy
 * ({@link SoupClientOptions#reconnect(Retry)}) a lost connection is re-established and the login repeated at the
 * next expected sequence number, so the stream continues without gap or duplicate.
 *
 * <p>Threading: thread-safe; one {@link #messages()} subscription at a time. Backpressure: messages are read from
 * the socket only as they are requested (a consumer that stalls longer than the receive timeout loses the
 * connection, then resumes if reconnecting). Errors: {@link LoginRejectedException} (never retried),
 * {@link ConnectionLostException} and {@link IdleTimeoutException} (retried by the reconnect policy),
 * {@link io.github.reactivepubsub.ProtocolException}, {@link java.util.concurrent.TimeoutException} when no
 * login reply came in time.
 *
 * <pre>{@code
 * SoupBinTcpClient client = SoupBinTcpClient.create("localhost", port,
 *         new SoupLogin("ABC", "secret", "SESS1", 1), SoupClientOptions.defaults());
 * client.messages().subscribe(m -> System.out.println(m.sequence() + " " + m.payloadAsString()));
 * client.send("hello".getBytes(StandardCharsets.US_ASCII)).subscribe();
 * }</pre>
 */
public final class SoupBinTcpClient {

    private static final Logger LOG = Loggers.getLogger(SoupBinTcpClient.class);

    private final TcpClient tcpClient;
    private final SoupLogin login;
    private final SoupClientOptions options;
    private final String peer;

    private final Object lock = new Object();
    private volatile long nextExpected;
    private volatile @Nullable String session;
    private @Nullable ClientLink current;
    private Sinks.One<ClientLink> ready = Sinks.one();
    private boolean active;
    private boolean readyFailed;
    private final SoupStats stats = new SoupStats(() -> nextExpected);

    private SoupBinTcpClient(TcpClient tcpClient, SoupLogin login, SoupClientOptions options, String peer) {
        this.tcpClient = tcpClient.doOnConnected(connection -> connection.addHandlerLast("soup-decoder",
                new SoupFrameDecoder(SoupPacketType.Sender.SERVER, options.maxPacketLength(),
                        stats.connections())));
        this.login = login;
        this.options = options;
        this.peer = peer;
        this.nextExpected = login.sequence();
    }

    /**
     * @param host the server's host
     * @param port the server's port
     * @param login credentials, session and the first requested sequence number
     * @param options the SoupBinTCP settings
     * @return a client; nothing connects until {@link #messages()} is subscribed
     */
    public static SoupBinTcpClient create(String host, int port, SoupLogin login, SoupClientOptions options) {
        return new SoupBinTcpClient(TcpClient.newConnection().host(host).port(port), login, options,
                host + ":" + port);
    }

    /**
     * @param tcpClient a pre-configured transport (remote address, TLS, event loops, metrics)
     * @param login credentials, session and the first requested sequence number
     * @param options the SoupBinTCP settings
     * @return a client; nothing connects until {@link #messages()} is subscribed
     */
    public static SoupBinTcpClient create(TcpClient tcpClient, SoupLogin login, SoupClientOptions options) {
        return new SoupBinTcpClient(Objects.requireNonNull(tcpClient, "tcpClient"), login, options,
                String.valueOf(tcpClient.configuration().remoteAddress() == null ? "server"
                        : tcpClient.configuration().remoteAddress().get()));
    }

    /**
     * Connects, logs in and emits the session's sequenced messages from the requested number on.
     *
     * <p>Completes after End of Session ({@code Z}, every preceding message delivered) or when the server closes
     * after {@link #logout()}. A connection lost otherwise errors with {@link ConnectionLostException} or
     * {@link IdleTimeoutException}, unless the reconnect policy retries: then the login is repeated with the
     * next expected sequence number. Cancelling closes the connection.
     *
     * @return a cold Flux: each subscription runs its own connection(s)
     */
    public Flux<SequencedMessage> messages() {
        Flux<SequencedMessage> once = Flux.defer(this::connectOnce);
        Retry reconnect = options.reconnect();
        Flux<SequencedMessage> stream = reconnect == null ? once : once.retryWhen(Retry.from(signals ->
                reconnect.generateCompanion(signals.concatMap(signal -> retryable(signal.failure())
                        ? Mono.just(signal.copy()).doOnNext(s -> LOG.warn("SoupBinTCP client: reconnecting to {} "
                                + "at sequence {} after: {}", peer, nextExpected, s.failure().toString()))
                        : Mono.error(signal.failure())))));
        return stream
                .doOnSubscribe(s -> {
                    synchronized (lock) {
                        active = true;
                        if (readyFailed) {
                            ready = Sinks.one();
                            readyFailed = false;
                        }
                    }
                })
                .doFinally(signal -> {
                    Sinks.One<ClientLink> waiting;
                    synchronized (lock) {
                        active = false;
                        readyFailed = true;
                        waiting = ready;
                    }
                    // outside the lock: the sends waiting for a login run their error path here
                    waiting.tryEmitError(new IllegalStateException("the client's message stream ended ("
                            + signal + ")"));
                });
    }

    private static boolean retryable(Throwable failure) {
        return failure instanceof ConnectionLostException || failure instanceof IdleTimeoutException;
    }

    private Flux<SequencedMessage> connectOnce() {
        SoupLogin attempt = login.withSequence(nextExpected);
        ClientLink link = new ClientLink(attempt.toPacket(), options, peer, new ClientLink.Listener() {
            @Override
            public void loggedIn(ClientLink l, String name, long next) {
                stats.loginAccepted(attempt.sequence(), next);
                session = name;
                nextExpected = next;
                Sinks.One<ClientLink> waiting;
                synchronized (lock) {
                    current = l;
                    waiting = ready;
                }
                waiting.tryEmitValue(l); // outside the lock: the sends waiting for the login go on from here
            }

            @Override
            public void received(long next) {
                nextExpected = next;
            }
        });
        return tcpClient.connect()
                .onErrorMap(e -> !(e instanceof ConnectionLostException),
                        e -> new ConnectionLostException("SoupBinTCP: cannot connect to " + peer + ": " + e, e))
                .flatMapMany(connection -> run(link, connection))
                .doFinally(signal -> {
                    synchronized (lock) {
                        if (current == link) {
                            current = null;
                            if (active) {
                                ready = Sinks.one();
                            }
                        }
                    }
                });
    }

    private Flux<SequencedMessage> run(ClientLink link, Connection connection) {
        connection.outbound()
                .send(link.outbound().map(p -> SoupBinTcpServer.encodeAndRelease(connection.outbound().alloc(), p,
                        stats)))
                .then()
                .subscribe(null, error -> LOG.debug("SoupBinTCP client: sending to {} failed", peer, error));
        return stats.counted(link.messages(connection.inbound().receiveObject()))
                .doFinally(signal -> connection.dispose());
    }

    /** @return whether the calling thread holds this client's lock (tests: no caller code runs under it) */
    boolean holdsLock() {
        return Thread.holdsLock(lock);
    }

    private Mono<ClientLink> link() {
        return Mono.defer(() -> {
            synchronized (lock) {
                return ready.asMono();
            }
        });
    }

    /**
     * Sends unsequenced data ({@code U}) on the current connection, waiting for the login if one is in progress.
     *
     * @param payload at most 65534 bytes; not copied: must not be modified before the Mono completes
     * @return completes once the packet is queued for the socket; errors with {@link IllegalStateException} after
     *     logout, when the message stream ended, or when {@link SoupClientOptions#sendQueueSize()} packets wait
     */
    public Mono<Void> send(byte[] payload) {
        if (payload.length > SoupCodec.MAX_PACKET_LENGTH - 1) {
            return Mono.error(new IllegalArgumentException("unsequenced message of " + payload.length
                    + " bytes exceeds the SoupBinTCP maximum of " + (SoupCodec.MAX_PACKET_LENGTH - 1)));
        }
        return link().flatMap(l -> l.send(ClientLink.unsequenced(payload)));
    }

    /**
     * Sends a Debug packet ({@code +}), which the server may log.
     *
     * @param text ASCII text
     * @return completes once queued; errors like {@link #send(byte[])}
     */
    public Mono<Void> debug(String text) {
        SoupPacket.Debug packet = new SoupPacket.Debug(text);
        return link().flatMap(l -> l.send(packet));
    }

    /**
     * Sends Logout Request ({@code O}); nothing is sent after it, and {@link #messages()} completes when the server
     * closes the connection.
     *
     * @return completes once queued
     */
    public Mono<Void> logout() {
        return link().flatMap(l -> l.send(SoupPacket.LogoutRequest.INSTANCE));
    }

    /**
     * @return this client's totals: its connections' packets, bytes, heartbeats and closes, logins, the next
     *     expected sequence number and gaps ({@code SoupMetrics} binds them)
     */
    public SoupStats stats() {
        return stats;
    }

    /** @return the sequence number the next message will have (to resume from); the requested one before login */
    public long nextExpectedSequence() {
        return nextExpected;
    }

    /**
     * @return the session named in the last Login Accepted, or {@code null} before the first login: the server's
     *     text as received (ASCII, control characters possible), to escape before logging it, e.g. with
     *     {@link io.github.reactivepubsub.tcp.wire.PeerText#escape(CharSequence)}
     */
    public @Nullable String session() {
        return session;
    }

    /** @return completes with the session name once the current (or next) connection is logged in */
    public Mono<String> loggedIn() {
        return link().map(l -> Objects.requireNonNull(session));
    }

    /**
     * @param text ASCII / ISO-8859-1 text
     * @return like {@link #send(byte[])}
     */
    public Mono<Void> send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
