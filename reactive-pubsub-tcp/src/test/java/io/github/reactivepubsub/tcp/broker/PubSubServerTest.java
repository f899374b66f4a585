package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubException;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/** The broker's side: faults and limits of one connection never affect another; resources are released. */
class PubSubServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Hub hub = Hub.create();
    private PubSubServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void bind() {
        server = PubSubServer.bind(hub, Codecs.utf8(), PubSubServerOptions.defaults().credentials("u", "p")
                        .maxSubscriptions(2).maxPatternLength(16).maxFrameLength(1_024), "127.0.0.1", 0)
                .block(WAIT);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.disposeNow(WAIT);
        hub.close();
    }

    private RemoteHub client() {
        RemoteHub remote = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                RemoteHubOptions.defaults().credentials("u", "p"));
        toClose.add(remote);
        remote.connected().block(WAIT);
        return remote;
    }

    /** A raw protocol client: frames in, frames out, no RemoteHub logic. */
    private Session<Frame, Frame> raw() {
        Session<Frame, Frame> session = TcpSessions.connect("127.0.0.1", server.port(), FrameCodec.STRICT,
                FrameCodec.STRICT, TcpSessionOptions.defaults()).block(WAIT);
        toClose.add(() -> session.close().block(WAIT));
        return session;
    }

    private static void awaitCount(Hub hub, String topic, int count) {
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse(topic)) == count,
                () -> "subscriberCount(" + topic + ") == " + count + ", is " + hub.subscriberCount(Key.parse(topic)));
    }

    @Test
    void aClientKilledMidStreamLeavesNoSubscriptionBehind() throws Exception {
        Session<Frame, Frame> killed = raw();
        killed.sendAll(reactor.core.publisher.Flux.just(new HelloFrame(1, 1, "u", "p"),
                new SubscribeFrame(1, 64, Overflow.DROP_OLDEST, Key.parse("k.*")), new CreditFrame(1, 5),
                new SubscribeFrame(2, 64, Overflow.ERROR, Key.parse("k.x")))).block(WAIT);
        awaitCount(hub, "k.*", 1);
        awaitCount(hub, "k.x", 1);
        for (int i = 0; i < 100; i++) {
            hub.publish("k.x", "m" + i); // mid-stream: credit for 5 on one subscription, none on the other
        }
        killed.close().block(WAIT); // the socket closes without UNSUBSCRIBE
        awaitCount(hub, "k.*", 0);
        awaitCount(hub, "k.x", 0);
        Await.until(WAIT, () -> server.connections() == 0, () -> "no connection left, " + server.connections());
    }

    @Test
    void wrongCredentialsAreRefusedWithAReasonAndTheHubCloses() {
        RemoteHub intruder = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                RemoteHubOptions.defaults().credentials("u", "wrong"));
        toClose.add(intruder);
        StepVerifier.create(intruder.connected())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RemoteHubException.class)
                        .hasMessageContaining("AUTHENTICATION_FAILED").hasMessageContaining("user 'u'")
                        .satisfies(x -> assertThat(((RemoteHubException) x).code())
                                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED)))
                .verify(WAIT);
        assertThat(intruder.isClosed()).isTrue();
        assertThat(intruder.publish("a", "x")).isEqualTo(PublishResult.CLOSED);
        Await.until(WAIT, () -> server.connections() == 0, () -> "refused connection closed");
    }

    @Test
    void garbageIsAnsweredWithAProtocolErrorAndOnlyThatConnectionCloses() throws Exception {
        RemoteHub good = client();
        StepVerifier goodOne = StepVerifier.create(good.<String>subscribe("g.k").map(Message::payload).take(1))
                .expectNext("still here").expectComplete().verifyLater();
        awaitCount(hub, "g.k", 1);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0, 0, 3, 0x42, 1, 2}); // a 3-byte body of unknown type 0x42
            out.flush();
            InputStream in = socket.getInputStream();
            Frame reply = readFrame(in);
            assertThat(reply).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(e.reason()).contains("unknown frame type 0x42");
            });
            assertThat(in.read()).as("closed after the error").isEqualTo(-1);
        }
        assertThat(good.publish("g.k", "still here")).isEqualTo(PublishResult.SENT);
        goodOne.verify(WAIT);
    }

    @Test
    void anOversizedFrameIsAnsweredWithAnErrorAndClosesOnlyThatConnectionBeforeItsBodyIsRead() throws Exception {
        RemoteHub good = client();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0x10, 0, 0, 0x06}); // announces a 1 MiB body; the limit is 1024
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readFrame(in)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(e.reason()).startsWith("frame length 1048576 exceeds maxFrameLength 1024 (session ");
            });
            assertThat(in.read()).as("closed after the error, the body unread").isEqualTo(-1);
        }
        assertThat(good.currentStatus()).isEqualTo(io.github.reactivepubsub.ConnectionStatus.CONNECTED);
        StepVerifier.create(good.<String>subscribe("o.k").map(Message::payload).take(1))
                .then(() -> {
                    awaitCount(hub, "o.k", 1);
                    good.publish("o.k", "fine");
                })
                .expectNext("fine").expectComplete().verify(WAIT);
    }

    @Test
    void subscriptionAndPatternLimitsCloseTheOffendingConnectionWithTheLimitNamed() {
        Session<Frame, Frame> greedy = raw();
        greedy.sendAll(reactor.core.publisher.Flux.just(new HelloFrame(1, 1, "u", "p"),
                new SubscribeFrame(1, 8, Overflow.ERROR, Key.parse("l.a")),
                new SubscribeFrame(2, 8, Overflow.ERROR, Key.parse("l.b")),
                new SubscribeFrame(3, 8, Overflow.ERROR, Key.parse("l.c")))).subscribe();
        StepVerifier.create(greedy.inbound().filter(ErrorFrame.class::isInstance).cast(ErrorFrame.class))
                .assertNext(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_SUBSCRIPTIONS);
                    assertThat(e.reason()).contains("at most 2 per connection");
                })
                .expectComplete().verify(WAIT);

        Session<Frame, Frame> verbose = raw();
        verbose.sendAll(reactor.core.publisher.Flux.just(new HelloFrame(1, 1, "u", "p"),
                new SubscribeFrame(1, 8, Overflow.ERROR, Key.parse("a.very.long.pattern.**")))).subscribe();
        StepVerifier.create(verbose.inbound().filter(ErrorFrame.class::isInstance).cast(ErrorFrame.class))
                .assertNext(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PATTERN_TOO_LONG);
                    assertThat(e.reason()).contains("22 bytes").contains("at most 16");
                })
                .expectComplete().verify(WAIT);
        awaitCount(hub, "l.a", 0);

        // the RemoteHub checks the limits it learned from WELCOME before sending: only that subscriber fails
        RemoteHub polite = client();
        StepVerifier.create(polite.subscribe("a.very.long.pattern.**"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RemoteHubException.class)
                        .hasMessageContaining("PATTERN_TOO_LONG"))
                .verify(WAIT);
        assertThat(polite.currentStatus()).isEqualTo(io.github.reactivepubsub.ConnectionStatus.CONNECTED);
    }

    @Test
    void aStalledRemoteSubscriberCostsItsBufferOnlyAndSlowsNeitherPublisherNorOthers() {
        RemoteHub slowClient = client();
        RemoteHub fastClient = client();
        List<String> slowReceived = new java.util.concurrent.CopyOnWriteArrayList<>();
        // stalled: requests 1 message, then nothing for a while; its broker-side buffer of 16 drops the oldest
        BaseSubscriber<Message<String>> stalled = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(Message<String> m) {
                slowReceived.add(m.payload());
            }
        };
        slowClient.<String>subscribe(Key.parse("s.k"), SubscribeOptions.defaults().bufferSize(16)
                .overflow(Overflow.DROP_OLDEST)).subscribe(stalled);
        toClose.add(stalled::dispose);
        int n = 20_000;
        StepVerifier fast = StepVerifier.create(fastClient.<String>subscribe(Key.parse("s.k"),
                        SubscribeOptions.defaults().bufferSize(n)).map(Message::payload).take(n).count())
                .expectNext((long) n).expectComplete().verifyLater();
        awaitCount(hub, "s.k", 2);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertThat(hub.publish("s.k", "m" + i).isDelivered()).isTrue(); // the broker's publisher
        }
        long publishNanos = System.nanoTime() - start;
        fast.verify(WAIT); // the other connection got everything while this one stalled
        assertThat(publishNanos).as("publishing %d messages took %d ms", n, publishNanos / 1_000_000)
                .isLessThan(Duration.ofSeconds(5).toNanos());
        Await.until(WAIT, () -> slowReceived.size() == 1, () -> "stalled subscriber got its 1 message");

        // when it asks again it gets the newest 16: all older messages were dropped at the broker, which held 16.
        // Its first message is the oldest one buffered when its credit of 1 reached the broker: m0 if the credit
        // came before the publishing, a later one if it came during it.
        stalled.request(16);
        List<String> newest = new ArrayList<>();
        for (int i = n - 16; i < n; i++) {
            newest.add("m" + i);
        }
        Await.until(WAIT, () -> slowReceived.size() == 17, () -> "17 messages, got " + slowReceived.size());
        assertThat(Integer.parseInt(slowReceived.get(0).substring(1))).as("first message").isLessThan(n - 16);
        assertThat(slowReceived.subList(1, 17)).containsExactlyElementsOf(newest);
    }

    private static Frame readFrame(InputStream in) throws Exception {
        byte[] length = in.readNBytes(4);
        int n = ByteBuffer.wrap(length).getInt();
        return FrameCodec.STRICT.decode(ByteBuffer.wrap(in.readNBytes(n)));
    }
}
