package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/** Real SoupBinTCP server and clients over loopback sockets (port 0), disposed after each test. */
class SoupBinTcpEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SoupBinTcpServer server;
    private SoupSession session;
    private final List<Connection> rawConnections = new ArrayList<>();

    @BeforeEach
    void start() {
        server = SoupBinTcpServer.bindNow("127.0.0.1", 0, SoupServerOptions.defaults()
                .authenticator(login -> login.username().equals("ABC") && login.password().equals("secret")
                        ? Optional.empty() : Optional.of(RejectReason.NOT_AUTHORIZED)));
        session = server.createSession("SESS1");
        for (int i = 1; i <= 5; i++) {
            session.publish("msg-" + i);
        }
    }

    @AfterEach
    void stop() {
        rawConnections.forEach(Connection::disposeNow);
        server.disposeNow();
    }

    private SoupBinTcpClient client(String user, String password, String sessionName, long sequence) {
        return client(new SoupLogin(user, password, sessionName, sequence), SoupClientOptions.defaults());
    }

    private SoupBinTcpClient client(SoupLogin login, SoupClientOptions options) {
        return SoupBinTcpClient.create("127.0.0.1", server.port(), login, options);
    }

    private static String text(SequencedMessage m) {
        return m.sequence() + " " + m.payloadAsString();
    }

    @Test
    void replayFromOneThenLiveMessages() {
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 1);
        StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("1 msg-1", "2 msg-2", "3 msg-3", "4 msg-4", "5 msg-5")
                .then(() -> session.publish("live-6"))
                .expectNext("6 live-6")
                .thenCancel()
                .verify(WAIT);
        assertThat(client.session()).isEqualTo("SESS1");
        assertThat(client.nextExpectedSequence()).isEqualTo(7);
    }

    @Test
    void replayFromN() {
        StepVerifier.create(client("ABC", "secret", "SESS1", 4).messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("4 msg-4", "5 msg-5")
                .thenCancel()
                .verify(WAIT);
    }

    @ParameterizedTest(name = "requested sequence {0}")
    @ValueSource(longs = {0, 7, 1000})
    void sequenceZeroOrBeyondTheEndGetsOnlyNewMessages(long requested) {
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", requested);
        StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                .then(() -> client.loggedIn().block(WAIT))
                .then(() -> session.publish("new-6"))
                .expectNext("6 new-6")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void blankSessionJoinsTheCurrentSession() {
        SoupBinTcpClient client = client("ABC", "secret", "", 5);
        StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("5 msg-5")
                .thenCancel()
                .verify(WAIT);
        assertThat(client.session()).isEqualTo("SESS1");
    }

    @Test
    void badCredentialsAreRejectedNotAuthorized() {
        StepVerifier.create(client("ABC", "wrong", "SESS1", 1).messages())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LoginRejectedException.class)
                        .hasMessageContaining("J A")
                        .extracting(x -> ((LoginRejectedException) x).reason())
                        .isEqualTo(RejectReason.NOT_AUTHORIZED))
                .verify(WAIT);
    }

    @Test
    void unknownSessionIsRejectedSessionNotAvailable() {
        StepVerifier.create(client("ABC", "secret", "NOPE", 1).messages())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LoginRejectedException.class)
                        .extracting(x -> ((LoginRejectedException) x).reason())
                        .isEqualTo(RejectReason.SESSION_NOT_AVAILABLE))
                .verify(WAIT);
    }

    @Test
    void rejectionIsNeverRetried() {
        SoupClientOptions options = SoupClientOptions.defaults().reconnect(Retry.fixedDelay(5, Duration.ofMillis(10)));
        StepVerifier.create(client(new SoupLogin("ABC", "wrong", "SESS1", 1), options).messages())
                .expectError(LoginRejectedException.class)
                .verify(WAIT);
    }

    @Test
    void endOfSessionCompletesAfterEveryPrecedingMessage() {
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 3);
        StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("3 msg-3", "4 msg-4", "5 msg-5")
                .then(() -> {
                    session.publish("last-6");
                    session.end();
                })
                .expectNext("6 last-6")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void loginToAnEndedSessionReplaysThenEnds() {
        session.end();
        StepVerifier.create(client("ABC", "secret", "SESS1", 4).messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("4 msg-4", "5 msg-5")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void logoutCompletesTheStreamWhenTheServerCloses() {
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 5);
        StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                .expectNext("5 msg-5")
                .then(() -> client.logout().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void unsequencedDataReachesTheApplication() {
        ConcurrentLinkedQueue<UnsequencedMessage> received = new ConcurrentLinkedQueue<>();
        server.unsequenced().subscribe(received::add);
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 0);
        StepVerifier.create(client.messages())
                .then(() -> {
                    client.send("hello").block(WAIT);
                    client.send(new byte[0]).block(WAIT);
                    client.debug("just saying").block(WAIT);
                    client.send("world").block(WAIT);
                    client.logout().block(WAIT);
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(received).extracting(UnsequencedMessage::payloadAsString).containsExactly("hello", "", "world");
        assertThat(received).allSatisfy(m -> {
            assertThat(m.username()).isEqualTo("ABC");
            assertThat(m.session()).isEqualTo("SESS1");
        });
    }

    @Test
    void aSendWaitingForTheLoginGoesOnOutsideTheClientsLock() {
        ConcurrentLinkedQueue<UnsequencedMessage> received = new ConcurrentLinkedQueue<>();
        server.unsequenced().subscribe(received::add);
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 0);
        ConcurrentLinkedQueue<Boolean> underLock = new ConcurrentLinkedQueue<>();
        // subscribed before the client connects: it goes on when the login is accepted, on the client's thread
        client.send("early").doOnSuccess(v -> underLock.add(client.holdsLock())).subscribe();
        StepVerifier.create(client.messages())
                .then(() -> client.loggedIn().block(WAIT))
                .then(() -> client.send("later").block(WAIT))
                .then(() -> client.logout().block(WAIT))
                .expectComplete()
                .verify(WAIT);
        assertThat(received).extracting(UnsequencedMessage::payloadAsString).containsExactly("early", "later");
        assertThat(underLock).containsExactly(false);
    }

    @Test
    void aSendWaitingForALoginThatIsRejectedFailsOutsideTheClientsLock() {
        SoupBinTcpClient client = client("ABC", "wrong", "SESS1", 0);
        ConcurrentLinkedQueue<Boolean> underLock = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
        client.send("early").doOnError(e -> underLock.add(client.holdsLock())).subscribe(null, failed::add);
        StepVerifier.create(client.messages())
                .expectError(LoginRejectedException.class)
                .verify(WAIT);
        // the stream's end reaches the waiting send right after its error reached the subscriber
        Await.until(WAIT, () -> !failed.isEmpty(), () -> "the waiting send failed");
        assertThat(failed).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(underLock).containsExactly(false);
    }

    @Test
    void reconnectResumesAtTheNextExpectedSequenceAfterTheConnectionIsCut() {
        int total = 2000;
        SoupClientOptions options = SoupClientOptions.defaults()
                .reconnect(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(20)));
        SoupBinTcpClient client = client(new SoupLogin("ABC", "secret", "SESS1", 1), options);
        IntStream.rangeClosed(6, total).forEach(i -> session.publish("msg-" + i));
        // cut the connection after 100 messages by restarting the server (same messages) on the same port
        int port = server.port();
        List<Long> sequences = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.create(client.messages().take(total).doOnNext(m -> {
                    sequences.add(m.sequence());
                    assertThat(m.payloadAsString()).isEqualTo("msg-" + m.sequence());
                }), 0)
                .thenRequest(100)
                .expectNextCount(100)
                .then(() -> {
                    server.disposeNow();
                    server = SoupBinTcpServer.bindNow("127.0.0.1", port, SoupServerOptions.defaults()
                            .authenticator(Authenticator.of("ABC", "secret")));
                    SoupSession s = server.createSession("SESS1");
                    IntStream.rangeClosed(1, total).forEach(i -> s.publish("msg-" + i));
                })
                .thenRequest(total - 100)
                .expectNextCount(total - 100)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void aConsumerRequestingOneAtATimeGetsEveryPayloadIntact() {
        int total = 5000;
        IntStream.rangeClosed(6, total).forEach(i -> session.publish("msg-" + i));
        StepVerifier.create(client("ABC", "secret", "SESS1", 1).messages().limitRate(1).take(total)
                        .filter(m -> !m.payloadAsString().equals("msg-" + m.sequence()))
                        .map(SoupBinTcpEndToEndTest::text))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void dropWithoutEndOfSessionIsAnErrorWithoutReconnect() {
        SoupBinTcpClient client = client("ABC", "secret", "SESS1", 5);
        StepVerifier.create(client.messages())
                .expectNextCount(1)
                .then(() -> server.disposeNow())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectionLostException.class)
                        .hasMessageContaining("without End of Session")
                        .hasMessageContaining("next expected sequence 6"))
                .verify(WAIT);
    }

    // ---- raw clients: exact bytes on the wire

    private Connection raw() {
        Connection c = TcpClient.newConnection().host("127.0.0.1").port(server.port()).connectNow(WAIT);
        rawConnections.add(c);
        return c;
    }

    private static final String LOGIN_ABC_SESS1_SEQ5 = loginHex("ABC", "secret", "SESS1", 5);

    /** A Login Request padded as {@code docs/soupbintcp.md}, section 3, says, built by hand (not by the codec). */
    private static String loginHex(String user, String password, String sessionName, long sequence) {
        String body = String.format("%-6s%-10s%10s%20d", user, password, sessionName, sequence);
        assertThat(body).hasSize(46);
        return "002f4c" + hex(body);
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends {@code hex}, then collects everything received until the server closes the connection. */
    private String exchange(Connection c, String... hexPackets) {
        Flux<String> received = c.inbound().receive().map(ByteBufUtil::hexDump);
        Mono<String> all = received.collect(StringBuilder::new, StringBuilder::append).map(StringBuilder::toString)
                .cache();
        all.subscribe();
        Flux.fromArray(hexPackets).concatMap(h -> c.outbound()
                .send(Mono.fromSupplier(() -> (ByteBuf) Unpooled.wrappedBuffer(HexFormat.of().parseHex(h)))).then())
                .subscribe(null, e -> { });
        return all.block(WAIT);
    }

    @Test
    void serverAnswersLoginWithSpecStyleAThenReplaysAndClosesOnLogout() {
        String received = exchange(raw(), LOGIN_ABC_SESS1_SEQ5, "00012b", "00014f");
        // A SESS1/5 right-justified, S "msg-5", then close (no reply to + or O)
        assertThat(received)
                .isEqualTo("001f41" + hex("     SESS1" + " ".repeat(19) + "5") + "0006" + "53" + hex("msg-5"));
    }

    @Test
    void debugFromClientGetsNoReply() {
        String received = exchange(raw(), "0006" + "2b" + hex("hello"), LOGIN_ABC_SESS1_SEQ5, "00014f");
        assertThat(received).startsWith("001f41").doesNotContain("2b");
    }

    @Test
    void dataBeforeLoginClosesWithoutReply() {
        assertThat(exchange(raw(), "000355" + hex("hi"))).isEmpty();
    }

    @Test
    void unknownTypeTooShortAndTrailingBytesClose() {
        assertThat(exchange(raw(), LOGIN_ABC_SESS1_SEQ5, "00013e")).startsWith("001f41");
        assertThat(exchange(raw(), "00014c")).isEmpty();
        assertThat(exchange(raw(), LOGIN_ABC_SESS1_SEQ5, "00024f00")).startsWith("001f41");
        assertThat(exchange(raw(), "0000")).isEmpty();
    }

    @Test
    void secondLoginCloses() {
        String received = exchange(raw(), LOGIN_ABC_SESS1_SEQ5, LOGIN_ABC_SESS1_SEQ5);
        assertThat(received).startsWith("001f41");
    }

    @Test
    void rejectedLoginGetsJThenClose() {
        String badLogin = loginHex("ABC", "wrong", "SESS1", 5);
        assertThat(exchange(raw(), badLogin)).isEqualTo("00024a41");
        String noSession = loginHex("ABC", "secret", "NOPE", 5);
        assertThat(exchange(raw(), noSession)).isEqualTo("00024a53");
    }

    @Test
    void misbehavingClientsNeverDisturbOthers() {
        int good = 8;
        List<SoupBinTcpClient> clients = IntStream.range(0, good)
                .mapToObj(i -> client("ABC", "secret", "SESS1", 1)).toList();
        Flux<List<String>> streams = Flux.fromIterable(clients)
                .flatMap(c -> c.messages().take(7).map(SoupBinTcpEndToEndTest::text).collectList());
        List<String> garbage = List.of("ffff3e", "00013e", "000355" + hex("hi"), "0000", "00014c",
                "00034a4141", "0003" + "53" + hex("hi"));
        StepVerifier.create(streams.collectList())
                .then(() -> garbage.forEach(g -> exchange(raw(), g)))
                .then(() -> {
                    session.publish("msg-6");
                    session.publish("msg-7");
                })
                .assertNext(lists -> {
                    assertThat(lists).hasSize(good);
                    assertThat(lists).allSatisfy(l -> assertThat(l).containsExactly("1 msg-1", "2 msg-2", "3 msg-3",
                            "4 msg-4", "5 msg-5", "6 msg-6", "7 msg-7"));
                })
                .expectComplete()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void clientSeesAProtocolErrorForGarbageFromTheServer() {
        reactor.netty.DisposableServer fake = reactor.netty.tcp.TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> out.send(Mono.just(Unpooled.wrappedBuffer(HexFormat.of()
                        .parseHex("001f41" + hex("     SESS1" + " ".repeat(19) + "1") + "000353" + hex("hi")
                                + "00013e")))).then(Mono.never()))
                .bindNow();
        try {
            SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", fake.port(),
                    new SoupLogin("ABC", "secret", "", 1), SoupClientOptions.defaults());
            StepVerifier.create(client.messages().map(SoupBinTcpEndToEndTest::text))
                    .expectNext("1 hi")
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                            .hasMessageContaining("unknown packet type").hasMessageContaining("0x3e"))
                    .verify(WAIT);
        } finally {
            fake.disposeNow();
        }
    }

    @Test
    void clientLoginTimesOutWhenTheServerNeverReplies() {
        reactor.netty.DisposableServer silent = reactor.netty.tcp.TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> in.receive().then(Mono.never())).bindNow();
        try {
            SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", silent.port(),
                    new SoupLogin("ABC", "secret", "", 1),
                    SoupClientOptions.defaults().loginTimeout(Duration.ofMillis(200)));
            StepVerifier.create(client.messages())
                    .expectError(TimeoutException.class)
                    .verify(WAIT);
        } finally {
            silent.disposeNow();
        }
    }
}
