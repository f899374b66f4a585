package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.IdleTimeoutException;
import static io.github.reactivepubsub.tcp.TestCodecs.MESSAGES;
import static io.github.reactivepubsub.tcp.TestCodecs.rawFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/** Sessions over real loopback sockets through the public entry points. */
class TcpSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<TcpSessionServer> servers = new ArrayList<>();
    private final List<Session<String, String>> clients = new ArrayList<>();
    private final List<Connection> rawClients = new ArrayList<>();
    private final Queue<Session<String, String>> accepted = new ConcurrentLinkedQueue<>();

    @AfterEach
    void closeEverything() {
        clients.forEach(client -> client.close().block(WAIT));
        rawClients.forEach(Connection::dispose);
        servers.forEach(server -> server.disposeNow(WAIT));
        assertThat(servers).allSatisfy(server -> assertThat(server.activeSessions()).isZero());
    }

    private TcpSessionServer server(TcpSessionOptions options,
            Function<Session<String, String>, Publisher<Void>> handler) {
        TcpSessionServer server = TcpSessions.bind("127.0.0.1", 0, MESSAGES, MESSAGES, options, session -> {
            accepted.add(session);
            return handler.apply(session);
        }).block(WAIT);
        servers.add(server);
        return server;
    }

    private TcpSessionServer echoServer(TcpSessionOptions options) {
        return server(options, session -> session.sendAll(session.inbound().map(text -> "echo:" + text)));
    }

    private Session<String, String> client(TcpSessionServer server, TcpSessionOptions options) {
        Session<String, String> client =
                TcpSessions.connect("127.0.0.1", server.port(), MESSAGES, MESSAGES, options).block(WAIT);
        clients.add(client);
        return client;
    }

    private Connection rawClient(TcpSessionServer server) {
        Connection raw = TcpClient.newConnection().host("127.0.0.1").port(server.port()).connectNow(WAIT);
        raw.inbound().receive().subscribe(); // reads, so that the server's close is seen
        rawClients.add(raw);
        return raw;
    }

    private Session<String, String> awaitAccepted(int count) {
        Await.until(WAIT, () -> accepted.size() >= count, () -> count + " accepted sessions");
        return new ArrayList<>(accepted).get(count - 1);
    }

    private static String localAddress(Connection raw) {
        InetSocketAddress local = (InetSocketAddress) raw.channel().localAddress();
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }

    @Test
    void messagesMakeARoundTripAndSessionsAreNamedAfterThePeer() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults());
        Session<String, String> client = client(server, TcpSessionOptions.defaults());

        StepVerifier.create(client.inbound().take(3))
                .then(() -> client.sendAll(Flux.just("a", "", "ü".repeat(1000))).subscribe())
                .expectNext("echo:a", "echo:", "echo:" + "ü".repeat(1000))
                .expectComplete()
                .verify(WAIT);

        assertThat(client.name()).isEqualTo("127.0.0.1:" + server.port());
        Session<String, String> serverSide = awaitAccepted(1);
        assertThat(serverSide.name()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo(client.name());
        assertThat(server.activeSessions()).isEqualTo(1);
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aCustomSessionNamePrefixesThePeerAddress() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults());
        Session<String, String> client = client(server, TcpSessionOptions.defaults()
                .sessionOptions(SessionOptions.defaults().name("ouch")));

        assertThat(client.name()).isEqualTo("ouch 127.0.0.1:" + server.port());
    }

    @Test
    void aLengthOverTheMaximumClosesTheSessionWithAProtocolExceptionNamingLengthMaximumAndPeer() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults().maxFrameLength(65_535));
        Connection raw = rawClient(server);
        Session<String, String> serverSide = awaitAccepted(1);

        raw.outbound().sendByteArray(Mono.just(rawFrame(70_000, new byte[16]))).then().block(WAIT);

        StepVerifier.create(serverSide.onClose())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                        .hasMessage("frame length 70000 exceeds maxFrameLength 65535 (session " + localAddress(raw)
                                + ")"))
                .verify(WAIT);
        raw.onDispose().block(WAIT);
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAccepted() {
        TcpSessionOptions exactly101 = TcpSessionOptions.defaults().maxFrameLength(101);
        TcpSessionServer server = server(exactly101, session -> session.sendAll(session.inbound()));
        Session<String, String> client = client(server, exactly101);

        StepVerifier.create(client.send("x".repeat(100)).then(client.receive())) // 'M' + 100 bytes each way
                .expectNext("x".repeat(100))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void sendingAFrameOverTheMaximumFailsThatSendAndKeepsTheSession() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults());
        Session<String, String> client = client(server, TcpSessionOptions.defaults().maxFrameLength(10));

        assertThatThrownBy(() -> client.send("0123456789").block(WAIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame length 11 exceeds maxFrameLength 10 (session " + client.name()
                        + "); expected payloads of at most 10 bytes");
        assertThat(client.isActive()).isTrue();
        StepVerifier.create(client.send("ok").then(client.receive())).expectNext("echo:ok").verifyComplete();
    }

    @Test
    void anUndecodableFrameClosesTheSessionWithTheCodecsProtocolException() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults());
        Connection raw = rawClient(server);
        Session<String, String> serverSide = awaitAccepted(1);

        raw.outbound().sendByteArray(Mono.just(rawFrame(3, "X?!".getBytes(StandardCharsets.US_ASCII))))
                .then().block(WAIT);

        StepVerifier.create(serverSide.onClose())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("unknown packet type 0x58"))
                .verify(WAIT);
        raw.onDispose().block(WAIT);
    }

    @Test
    void theSessionClosesWhenTheHandlersPublisherCompletes() {
        TcpSessionServer server = server(TcpSessionOptions.defaults(), session -> session.send("bye"));
        Session<String, String> client = client(server, TcpSessionOptions.defaults());

        StepVerifier.create(client.inbound()).expectNext("bye").expectComplete().verify(WAIT);
        StepVerifier.create(client.onClose()).expectComplete().verify(WAIT);
        Await.until(WAIT, () -> server.activeSessions() == 0, () -> "no active session");
    }

    @Test
    void aFailingHandlerClosesOnlyItsSession() {
        TcpSessionServer server = server(TcpSessionOptions.defaults(), session -> {
            if (accepted.size() == 1) {
                return Mono.error(new IllegalStateException("boom"));
            }
            return session.sendAll(session.inbound().map(text -> "echo:" + text));
        });
        Session<String, String> failed = client(server, TcpSessionOptions.defaults());
        StepVerifier.create(failed.inbound()).expectComplete().verify(WAIT);

        Session<String, String> other = client(server, TcpSessionOptions.defaults());
        StepVerifier.create(other.send("still").then(other.receive())).expectNext("echo:still").verifyComplete();
        assertThat(server.activeSessions()).isEqualTo(1);
    }

    @Test
    void disposeNowClosesEverySession() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults());
        List<TestSubscriber<String>> inbounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestSubscriber<String> inbound = TestSubscriber.create();
            client(server, TcpSessionOptions.defaults()).inbound().subscribe(inbound);
            inbounds.add(inbound);
        }
        Await.until(WAIT, () -> server.activeSessions() == 3, () -> "3 active sessions");

        server.disposeNow(WAIT);

        assertThat(server.activeSessions()).isZero();
        assertThat(server.isDisposed()).isTrue();
        StepVerifier.create(server.onDispose()).expectComplete().verify(WAIT);
        inbounds.forEach(inbound -> {
            inbound.block(WAIT);
            assertThat(inbound.isTerminatedComplete()).isTrue();
        });
        clients.forEach(client -> StepVerifier.create(client.onClose()).expectComplete().verify(WAIT));
    }

    @Test
    void idleTimeoutClosesAPeerThatConnectsAndSendsNothing() {
        TcpSessionServer server = echoServer(TcpSessionOptions.defaults().idleTimeout(Duration.ofMillis(200)));
        Connection raw = rawClient(server);
        Session<String, String> serverSide = awaitAccepted(1);

        StepVerifier.create(serverSide.onClose())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IdleTimeoutException.class)
                        .hasMessageStartingWith("session " + localAddress(raw) + ": no bytes received for ")
                        .hasMessageEndingWith("while reading; expected data at least every PT0.2S (idleTimeout)"))
                .verify(WAIT);
        raw.onDispose().block(WAIT);
    }

    @Test
    void theIdleClockIsHeldWhileTheSessionIsPausedByBackpressure() {
        TestSubscriber<String> paused = TestSubscriber.builder().initialRequest(0).build();
        TcpSessionServer server = server(TcpSessionOptions.defaults().idleTimeout(Duration.ofMillis(100)),
                session -> {
                    session.inbound().subscribe(paused);
                    return session.onClose();
                });
        rawClient(server);
        Session<String, String> serverSide = awaitAccepted(1);

        Await.watch(Duration.ofMillis(500)); // five timeouts without demand: the silence does not count
        assertThat(serverSide.isActive()).as("paused session still open").isTrue();

        paused.request(1); // reading again: now the peer's silence counts
        StepVerifier.create(serverSide.onClose()).expectError(IdleTimeoutException.class).verify(WAIT);
    }

    @Test
    void optionsAreImmutableAndValidated() {
        TcpSessionOptions defaults = TcpSessionOptions.defaults();
        TcpSessionOptions changed = defaults.maxFrameLength(10).idleTimeout(Duration.ofSeconds(1));

        assertThat(defaults.maxFrameLength()).isEqualTo(TcpSessionOptions.DEFAULT_MAX_FRAME_LENGTH);
        assertThat(defaults.idleTimeout()).isZero();
        assertThat(changed.maxFrameLength()).isEqualTo(10);
        assertThat(changed.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> defaults.maxFrameLength(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameLength must be >= 0");
        assertThatThrownBy(() -> defaults.idleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout must be >= 0");
    }
}
