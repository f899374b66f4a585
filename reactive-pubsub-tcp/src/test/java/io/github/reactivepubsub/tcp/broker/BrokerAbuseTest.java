package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DeclarationRefusedFrame;
import io.github.reactivepubsub.tcp.wire.DeclareFrame;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import io.github.reactivepubsub.tcp.wire.UndeclareFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * A hostile client against a real broker on loopback: each abuse is refused or bounded with its documented error,
 * and a well-behaved client of the same broker keeps receiving throughout.
 */
class BrokerAbuseTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Key TOPIC = Key.parse("feed.big");

    private final Hub hub = Hub.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private PubSubServer server;

    @AfterEach
    void close() throws Exception {
        LoggerUtils.disableCapture();
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.disposeNow(WAIT);
        }
        hub.close();
    }

    private void bind(PubSubServerOptions options) {
        server = PubSubServer.bind(hub, Codecs.utf8(), options, "127.0.0.1", 0).block(WAIT);
    }

    /** A well-behaved client subscribed to {@code key}, collecting payloads. */
    private List<String> wellBehaved(String key, PubSubServerOptions options) {
        RemoteHub remote = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                RemoteHubOptions.defaults().credentials("u", "p"));
        toClose.add(remote);
        remote.connected().block(WAIT);
        List<String> got = new CopyOnWriteArrayList<>();
        Disposable d = remote.<String>subscribe(key).map(Message::payload).subscribe(got::add);
        toClose.add(d::dispose);
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse(key)) >= 1, () -> "well-behaved subscriber at broker");
        return got;
    }

    /** A raw client that logs in, subscribes with unbounded credit, and then never reads a byte. */
    private Socket stalledSubscriber(Overflow overflow) throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        toClose.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(frame(new HelloFrame(1, 1, "u", "p")));
        out.write(frame(new SubscribeFrame(1, 1 << 30, overflow, TOPIC)));
        out.write(frame(new CreditFrame(1, CreditFrame.UNBOUNDED)));
        out.flush();
        return socket;
    }

    private static byte[] frame(Frame frame) {
        byte[] body = frame.encode();
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /** Reads frames from a raw socket until one of {@code type} arrives. */
    @SuppressWarnings("unchecked")
    private static <F extends Frame> F readUntil(Socket socket, Class<F> type) throws Exception {
        InputStream in = socket.getInputStream();
        socket.setSoTimeout((int) WAIT.toMillis());
        for (;;) {
            byte[] length = in.readNBytes(4);
            assertThat(length).as("connection still open while waiting for a %s", type.getSimpleName()).hasSize(4);
            byte[] body = in.readNBytes(ByteBuffer.wrap(length).getInt());
            Frame f = FrameCodec.STRICT.decode(ByteBuffer.wrap(body));
            if (type.isInstance(f)) {
                return (F) f;
            }
        }
    }

    private Session<Frame, Frame> rawSession() {
        Session<Frame, Frame> session = TcpSessions.connect("127.0.0.1", server.port(), FrameCodec.STRICT,
                FrameCodec.STRICT, TcpSessionOptions.defaults()).block(WAIT);
        toClose.add(() -> session.close().block(WAIT));
        return session;
    }

    @Test
    void aStalledSubscriberOf60KbMessagesCostsTheBrokerOnlyItsByteBoundsAndOthersKeepReceiving() throws Exception {
        long connectionBound = 2L << 20;
        PubSubServerOptions options = PubSubServerOptions.defaults().credentials("u", "p")
                .heartbeatInterval(Duration.ofMinutes(1)).maxBufferBytes(1L << 20)
                .maxConnectionBufferBytes(connectionBound).maxBrokerBufferBytes(8L << 20);
        bind(options);
        List<String> others = wellBehaved("feed.small", options);
        Socket stalled = stalledSubscriber(Overflow.DROP_OLDEST);
        Await.until(WAIT, () -> hub.subscriberCount(TOPIC) == 1, () -> "stalled subscriber at broker");

        char[] big = new char[60_000];
        Arrays.fill(big, 'x');
        String payload = new String(big);
        long maxSeen = 0;
        for (int i = 0; i < 2_000; i++) { // 120 MB published, 60 times the connection's bound
            hub.publish(TOPIC, payload);
            hub.publish(Key.parse("feed.small"), "m" + i);
            maxSeen = Math.max(maxSeen, server.bufferedBytes());
        }
        assertThat(maxSeen).as("bytes held for the stalled connection").isPositive()
                .isLessThanOrEqualTo(connectionBound);
        Await.until(WAIT, () -> others.size() == 2_000, () -> "the other client got everything, has " + others.size());
        assertThat(others.get(1_999)).isEqualTo("m1999");
        assertThat(stalled.isClosed()).isFalse();
    }

    @Test
    void underErrorTheStalledSubscriptionEndsWithOverflowWhenItsByteBoundIsHit() throws Exception {
        bind(PubSubServerOptions.defaults().credentials("u", "p").heartbeatInterval(Duration.ofMinutes(1))
                .maxBufferBytes(256L << 10).maxConnectionBufferBytes(1L << 20));
        Socket stalled = stalledSubscriber(Overflow.ERROR);
        Await.until(WAIT, () -> hub.subscriberCount(TOPIC) == 1, () -> "stalled subscriber at broker");
        String payload = "y".repeat(60_000);
        for (int i = 0; i < 2_000 && hub.subscriberCount(TOPIC) == 1; i++) {
            hub.publish(TOPIC, payload);
        }
        Await.until(WAIT, () -> hub.subscriberCount(TOPIC) == 0, () -> "the overflowed subscription was cancelled");
        SubscriptionEndFrame end = readUntil(stalled, SubscriptionEndFrame.class);
        assertThat(end.reason()).isEqualTo(SubscriptionEndFrame.Reason.OVERFLOW);
        assertThat(end.detail()).contains("feed.big").contains("bytes");
        Await.until(WAIT, () -> server.bufferedBytes() == 0, () -> "every byte returned, " + server.bufferedBytes());
    }

    @Test
    void declaredReplaysCountAgainstTheConnectionsReplayBudgetAndARefusalLeavesTheConnectionOpen() throws Exception {
        // each declaration counts replay × 1024 bytes: 8 + 4 messages do not fit in 10 KiB, 8 + 2 do
        bind(PubSubServerOptions.defaults().credentials("u", "p").heartbeatInterval(Duration.ofMinutes(1))
                .maxFrameLength(1024).maxReplayBytes(10 * 1024));
        Key a = Key.parse("replay.a");
        Key b = Key.parse("replay.b");
        Socket socket = new Socket("127.0.0.1", server.port());
        toClose.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(frame(new HelloFrame(1, 2, "u", "p")));
        out.write(frame(new DeclareFrame(1, 8, a)));
        out.write(frame(new DeclareFrame(2, 4, b)));
        out.flush();
        DeclarationRefusedFrame refused = readUntil(socket, DeclarationRefusedFrame.class);
        assertThat(refused.id()).isEqualTo(2);
        assertThat(refused.reason()).contains("replay 4 of 'replay.b' counts 4096 bytes")
                .contains("replay budget of connection").contains("(8192 of 10240 bytes)");
        assertThat(hub.topicOptions(a)).contains(TopicOptions.defaults().replay(8));
        assertThat(hub.topicOptions(b)).isEmpty();
        assertThat(server.bufferedBytes()).isEqualTo(8 * 1024);

        out.write(frame(new DeclareFrame(3, 2, b))); // fits beside the first
        out.write(frame(new UndeclareFrame(1)));
        out.write(frame(new DeclareFrame(4, 8, Key.parse("replay.c")))); // fits once the first is gone
        out.flush();
        Await.until(WAIT, () -> hub.topicOptions(Key.parse("replay.c")).isPresent(), () -> "the third declaration");
        assertThat(hub.topicOptions(b)).contains(TopicOptions.defaults().replay(2));
        assertThat(hub.topicOptions(a)).isEmpty();
        assertThat(server.bufferedBytes()).isEqualTo(10 * 1024);

        socket.close();
        Await.until(WAIT, () -> server.bufferedBytes() == 0, () -> "every declaration's bytes returned to the broker, "
                + server.bufferedBytes() + " left");
        assertThat(hub.topicOptions(b)).isEmpty();
    }

    @Test
    void aClientThatStopsReadingIsClosedOnceItsQueuedControlFramesPassTheirByteBound() throws Exception {
        // each refused declaration echoes its 1,000-byte pattern: the byte bound (64 KiB) trips long before the
        // count bound (65,536 frames, about 70 MB of these), once the kernel's socket buffers are full
        bind(PubSubServerOptions.defaults().credentials("u", "p").heartbeatInterval(Duration.ofMinutes(1))
                .maxControlBytes(64 * 1024));
        Key longKey = Key.parse("k".repeat(1_000));
        Socket socket = new Socket("127.0.0.1", server.port());
        toClose.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(frame(new HelloFrame(1, 2, "u", "p")));
        byte[] declare = frame(new DeclareFrame(1, PubSubServerOptions.DEFAULT_MAX_BUFFER_SIZE + 1, longKey));
        try {
            for (int i = 0; i < 30_000; i++) { // refused: a replay above the largest subscriber buffer
                out.write(declare);
            }
            out.flush();
        } catch (java.io.IOException closedMeanwhile) {
            // the broker closed the connection while the refusals were still being written: what is asserted next
        }
        ErrorFrame error = readUntil(socket, ErrorFrame.class);
        assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(error.reason()).contains("65536 bytes").contains("control frames");
    }

    @Test
    void aHostileUsernameIsEscapedAndCutInTheErrorFrameAndTheLog() throws Exception {
        TestLogger log = new TestLogger(false);
        LoggerUtils.enableCaptureWith(log);
        bind(PubSubServerOptions.defaults().credentials("u", "p").loginThrottle(100, Duration.ofMinutes(1),
                Duration.ZERO));
        String username = "eve\r\nERROR forged line " + "z".repeat(65_000);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(frame(new HelloFrame(1, 1, username, "wrong")));
            ErrorFrame error = readUntil(socket, ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(error.reason()).contains("eve\\r\\nERROR forged line").doesNotContain("\r", "\n")
                    .hasSizeLessThan(400).contains("more)");
        }
        Await.until(WAIT, () -> log.getErrContent().contains("AUTHENTICATION_FAILED"), () -> "the refusal logged");
        assertThat(log.getErrContent()).doesNotContain("\r\nERROR forged").doesNotContain("z".repeat(200));
    }

    @Test
    void failedLoginsAreThrottledPerSourceAddressWhileAGoodClientIsServed() throws Exception {
        bind(PubSubServerOptions.defaults().credentials("u", "p").loginThrottle(5, Duration.ofHours(1),
                Duration.ZERO));
        List<String> good = wellBehaved("t.x", PubSubServerOptions.defaults());
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(frame(new HelloFrame(1, 1, "u", "guess" + i)));
                assertThat(readUntil(socket, ErrorFrame.class).reason()).contains("wrong username or password");
            }
        }
        // the address used up its failures: even the right password is refused until the window ends
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(frame(new HelloFrame(1, 1, "u", "p")));
            ErrorFrame error = readUntil(socket, ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(error.reason()).contains("too many failed logins from 127.0.0.1");
        }
        assertThat(server.throttledAddresses()).isEqualTo(1);
        hub.publish("t.x", "still served");
        Await.until(WAIT, () -> good.contains("still served"), () -> "the connected client is unaffected");
    }

    @Test
    void aLoginFloodOf300FailingClientsNeverDisturbsASubscriber() {
        bind(PubSubServerOptions.defaults().credentials("u", "p").loginThrottle(1_000, Duration.ofMinutes(1),
                Duration.ofMillis(50)));
        List<String> good = wellBehaved("t.flood", PubSubServerOptions.defaults());
        List<Throwable> refusals = Flux.range(0, 300)
                .flatMap(i -> {
                    RemoteHub bad = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                            RemoteHubOptions.defaults().credentials("u", "nope" + i));
                    return bad.connected().then(Mono.<Throwable>empty()).onErrorResume(Mono::just)
                            .doFinally(s -> bad.close());
                }, 64)
                .doOnNext(e -> hub.publish("t.flood", "during"))
                .collectList().block(WAIT);
        assertThat(refusals).hasSize(300).allSatisfy(e -> assertThat(e).hasMessageContaining("AUTHENTICATION")
                .satisfies(x -> assertThat(x.toString()).contains("wrong username or password")));
        Await.until(WAIT, () -> good.size() == 300, () -> "the subscriber got every message, has " + good.size());
    }

    @Test
    void publishingIntoTheHubsMetaTopicsIsRefusedAndNeverReachesSubscribers() {
        bind(PubSubServerOptions.defaults());
        List<String> meta = wellBehaved("Hub.**", PubSubServerOptions.defaults());
        Session<Frame, Frame> raw = rawSession();
        List<Frame> received = new CopyOnWriteArrayList<>();
        raw.inbound().subscribe(received::add, e -> { });
        raw.sendAll(Flux.just(new HelloFrame(1, 1, "", ""),
                new PublishFrame(Key.parse("Hub.addedSubscriber.fake"), "forged".getBytes(StandardCharsets.UTF_8))))
                .subscribe();
        Await.until(WAIT, () -> received.stream().anyMatch(ErrorFrame.class::isInstance),
                () -> "ERROR, got " + received);
        ErrorFrame error = (ErrorFrame) received.stream().filter(ErrorFrame.class::isInstance).findFirst().get();
        assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN_KEY);
        assertThat(error.reason()).contains("Hub.addedSubscriber.fake").contains("published by the hub only");
        Await.until(WAIT, raw::isClosed, () -> "closed after the refusal");
        hub.publish("plain.key", "x"); // the hub's own meta messages still flow as events only, never as MESSAGE
        assertThat(meta).isEmpty();
    }

    @Test
    void patternsWithSpacesOrControlCharactersAreMalformed() throws Exception {
        bind(PubSubServerOptions.defaults());
        for (String pattern : List.of("a b", "a.\r\nb", "tab\t.*")) {
            byte[] text = pattern.getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(1 + 4 + 4 + 1 + 2 + text.length);
            body.put((byte) 0x03).putInt(1).putInt(8).put((byte) 0).putShort((short) text.length).put(text);
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(frame(new HelloFrame(1, 1, "", "")));
                out.write(ByteBuffer.allocate(4).putInt(body.capacity()).array());
                out.write(body.array());
                readUntil(socket, WelcomeFrame.class);
                ErrorFrame error = readUntil(socket, ErrorFrame.class);
                assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(error.reason()).contains("whitespace or control characters").doesNotContain("\r", "\n",
                        "\t");
            }
        }
        assertThat(hub.topics(Key.parse("**"))).isEmpty();
    }

    @Test
    void fiveHundredConcurrentClientsEachGetTheirMessage() {
        // 500 clients joining one topic make 250,000 EVENT frames (every join reaches every client). Tracking each of
        // their buffers with a stack trace (this module's paranoid leak detection) takes 10 to 30 s on 2 cores, not
        // the broker: sample instead (1 buffer in 128 is still tracked and reported by NettyLeakCheck).
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        toClose.add(() -> ResourceLeakDetector.setLevel(level));
        // these raw clients send no HEARTBEAT: a broker interval longer than the test, so that none is closed as silent
        bind(PubSubServerOptions.defaults().heartbeatInterval(Duration.ofMinutes(5)));
        List<Session<Frame, Frame>> clients = Flux.range(0, 500)
                .flatMap(i -> TcpSessions.connect("127.0.0.1", server.port(), FrameCodec.STRICT, FrameCodec.STRICT,
                        TcpSessionOptions.defaults()), 100)
                .collectList().block(WAIT);
        List<List<Frame>> inboxes = new ArrayList<>();
        List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
        for (Session<Frame, Frame> c : clients) {
            toClose.add(() -> c.close().block(WAIT));
            List<Frame> inbox = new CopyOnWriteArrayList<>();
            inboxes.add(inbox);
            c.inbound().subscribe(inbox::add, clientErrors::add);
            c.sendAll(Flux.just(new HelloFrame(1, 1, "", ""), new SubscribeFrame(1, 8, Overflow.ERROR,
                    Key.parse("all")), new CreditFrame(1, 1))).subscribe();
        }
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse("all")) == 500, () -> "500 subscribers at broker, have "
                + hub.subscriberCount(Key.parse("all")) + "; clients failed with " + clientErrors);
        hub.publish("all", "hello");
        Await.until(WAIT, () -> inboxes.stream().allMatch(in -> in.stream().anyMatch(MessageFrame.class::isInstance)),
                () -> "every client got the message; clients failed with " + clientErrors);
        assertThat(clientErrors).isEmpty();
        assertThat(server.connections()).isEqualTo(500);
    }
}
