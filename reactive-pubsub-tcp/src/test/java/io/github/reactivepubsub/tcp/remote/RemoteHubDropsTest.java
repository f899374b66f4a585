package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.DroppedMessages;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DroppedFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.FramePayloads;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * What a remote subscriber learns of its broker-side buffer's drops (DROPPED frames, protocol version 2), with the
 * real broker on loopback: the exact count, through the drop listener, the hub's stats and its Micrometer meters, in
 * stream order; a version 1 client never gets a DROPPED frame; a broker's hostile DROPPED frames are protocol errors
 * that cost the client its connection only (it reconnects), never a count.
 */
class RemoteHubDropsTest {

    private static final Duration WAIT = HubContract.WAIT;
    private static final Key KEY = Key.parse("drops.k");
    private static final int BUFFER = 8;
    private static final int PUBLISHED = 1_000;

    @RegisterExtension
    final Closer closer = new Closer();
    private final LoopbackBroker broker = closer.add(new LoopbackBroker(), LoopbackBroker::close);
    private final Hub brokerHub = broker.brokerHub();

    private RemoteHub client() {
        return broker.client();
    }

    private void publishAtTheBroker(int from, int to) {
        Await.until(WAIT, () -> brokerHub.subscriberCount(KEY) == 1, () -> "subscribed at the broker");
        for (int i = from; i < to; i++) {
            brokerHub.publish(KEY, "m" + i); // each delivery (and drop) happens at the broker before publish returns
        }
    }

    private static long sum(List<Object> told) {
        return told.stream().mapToLong(e -> ((DroppedMessages) e).count()).sum();
    }

    @Test
    void aStalledDropOldestSubscriberIsToldExactlyWhatTheBrokerDroppedWithoutRequesting() {
        RemoteHub client = client();
        HubStats stats = client.stats();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HubMetrics.of(client).name("remote").topics(List.of(KEY)).bindTo(registry);
        List<Object> told = new CopyOnWriteArrayList<>();
        List<String> expected = IntStream.range(PUBLISHED - BUFFER, PUBLISHED).mapToObj(i -> "m" + i).toList();

        StepVerifier.create(client.<String>subscribe(KEY, SubscribeOptions.defaults().bufferSize(BUFFER)
                        .overflow(Overflow.DROP_OLDEST).onDrop(told::add)).map(Message::payload), 0)
                .expectSubscription()
                .then(() -> publishAtTheBroker(0, PUBLISHED))
                .then(() -> Await.until(WAIT, () -> sum(told) == PUBLISHED - BUFFER,
                        () -> "told of " + (PUBLISHED - BUFFER) + " drops before any request, told " + told))
                .thenRequest(BUFFER)
                .expectNextSequence(expected)
                .thenCancel()
                .verify(WAIT);

        assertThat(told).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(DroppedMessages.class, run -> {
            assertThat(run.topic()).isEqualTo(KEY);
            assertThat(run.policy()).isEqualTo(Overflow.DROP_OLDEST);
        }));
        long dropped = PUBLISHED - stats.delivered();
        assertThat(dropped).isEqualTo(PUBLISHED - BUFFER);
        assertThat(stats.dropped(Overflow.DROP_OLDEST)).isEqualTo(dropped);
        assertThat(stats.topic(KEY).dropped(Overflow.DROP_OLDEST)).isEqualTo(dropped);
        assertThat(stats.dropped(Overflow.DROP_LATEST)).isZero();
        assertThat(registry.get("reactive.pubsub.hub.dropped").tags("hub", "remote", "overflow", "drop_oldest")
                .functionCounter().count()).isEqualTo(dropped);
        assertThat(registry.get("reactive.pubsub.topic.dropped").tags("hub", "remote", "topic", "drops.k",
                "overflow", "drop_oldest").functionCounter().count()).isEqualTo(dropped);
    }

    @Test
    void aDropLatestGapIsToldInStreamOrderAfterTheMessagesBeforeIt() {
        RemoteHub client = client();
        List<String> stream = new CopyOnWriteArrayList<>(); // messages and drops, as the subscriber's thread saw them
        StepVerifier.create(client.<String>subscribe(KEY, SubscribeOptions.defaults().bufferSize(BUFFER)
                        .overflow(Overflow.DROP_LATEST)
                        .onDrop(e -> stream.add("dropped " + ((DroppedMessages) e).count())))
                        .map(Message::payload).doOnNext(stream::add), 0)
                .expectSubscription()
                .then(() -> publishAtTheBroker(0, PUBLISHED))
                .thenRequest(BUFFER)
                .expectNextSequence(IntStream.range(0, BUFFER).mapToObj(i -> "m" + i).toList())
                .then(() -> Await.until(WAIT, () -> stream.size() > BUFFER, () -> "the gap was told: " + stream))
                .then(() -> publishAtTheBroker(PUBLISHED, PUBLISHED + 1))
                .thenRequest(1)
                .expectNext("m" + PUBLISHED)
                .thenCancel()
                .verify(WAIT);

        List<String> expected = new ArrayList<>(IntStream.range(0, BUFFER).mapToObj(i -> "m" + i).toList());
        expected.add("dropped " + (PUBLISHED - BUFFER));
        expected.add("m" + PUBLISHED);
        assertThat(stream).as("one report for the whole flood, between the messages around the gap")
                .isEqualTo(expected);
        assertThat(client.stats().dropped(Overflow.DROP_LATEST)).isEqualTo(PUBLISHED - BUFFER);
    }

    @Test
    void aDropListenerThatThrowsIsLoggedAndTheSubscriberGoesOn() {
        RemoteHub client = client();
        TestLogger log = new TestLogger(false);
        LoggerUtils.enableCaptureWith(log);
        try {
            StepVerifier.create(client.<String>subscribe(KEY, SubscribeOptions.defaults().bufferSize(BUFFER)
                            .overflow(Overflow.DROP_OLDEST).onDrop(e -> {
                                throw new IllegalStateException("listener boom");
                            })).map(Message::payload), 0)
                    .expectSubscription()
                    .then(() -> publishAtTheBroker(0, BUFFER + 1))
                    .then(() -> Await.until(WAIT, () -> client.stats().dropped(Overflow.DROP_OLDEST) == 1,
                            () -> "the drop was counted"))
                    .thenRequest(BUFFER)
                    .expectNextSequence(IntStream.range(1, BUFFER + 1).mapToObj(i -> "m" + i).toList())
                    .thenCancel()
                    .verify(WAIT);
            Await.until(WAIT, () -> log.getErrContent().contains("drop listener of subscriber of 'drops.k' threw; "
                    + "ignored"), () -> "the throw was logged: " + log.getErrContent());
        } finally {
            LoggerUtils.disableCapture();
        }
    }

    @Test
    void aVersion1ClientNeverGetsADroppedFrameAndAVersion2OneGetsItBeforeTheMessageAfterTheGap() {
        assertThat(framesOfAStalledSubscriber(1)).containsExactly("m8", "m9", "last");
        assertThat(framesOfAStalledSubscriber(2)).as("the 8 drops (in one or more reports), then the messages")
                .containsExactly("dropped 8", "m8", "m9", "last");
    }

    /** A raw session of that version subscribes (buffer 2, DROP_OLDEST), publishes 10, then takes 3 messages. */
    private List<String> framesOfAStalledSubscriber(int version) {
        Session<Frame, Frame> raw = closer.add(TcpSessions.connect("127.0.0.1", broker.port(), FrameCodec.STRICT,
                FrameCodec.STRICT, TcpSessionOptions.defaults() // events may arrive unread after "last": no drain
                        .sessionOptions(SessionOptions.defaults().drainTimeout(Duration.ZERO))).block(WAIT),
                session -> session.close().block(WAIT));
        List<Frame> sent = new ArrayList<>();
        sent.add(new HelloFrame(1, version, "", ""));
        sent.add(new SubscribeFrame(1, 2, Overflow.DROP_OLDEST, KEY));
        for (int i = 0; i < 10; i++) { // one connection's frames are handled in order: all of these before CREDIT
            sent.add(new PublishFrame(KEY, ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        sent.add(new CreditFrame(1, 3));
        sent.add(new PublishFrame(KEY, "last".getBytes(StandardCharsets.UTF_8)));
        raw.sendAll(Flux.fromIterable(sent)).subscribe();
        List<String> seen = new ArrayList<>();
        long[] dropped = new long[1];
        StepVerifier.create(raw.inbound().takeUntil(f -> f instanceof MessageFrame m
                        && FramePayloads.utf8(m.payload()).equals("last")))
                .assertNext(f -> assertThat(f).isInstanceOfSatisfying(WelcomeFrame.class,
                        w -> assertThat(w.version()).isEqualTo(version)))
                .thenConsumeWhile(f -> true, f -> {
                    if (f instanceof DroppedFrame d) {
                        assertThat(d.id()).isEqualTo(1);
                        dropped[0] += d.count();
                    } else if (f instanceof MessageFrame m) {
                        if (dropped[0] > 0) {
                            seen.add("dropped " + dropped[0]);
                            dropped[0] = 0;
                        }
                        seen.add(FramePayloads.utf8(m.payload()));
                    }
                })
                .expectComplete()
                .verify(WAIT);
        return seen;
    }

    @Test
    void hostileDroppedFramesAreProtocolErrorsThatCostTheConnectionAndNeverACount() throws Exception {
        TestLogger log = new TestLogger(false);
        LoggerUtils.enableCaptureWith(log);
        try (ServerSocket fakeBroker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RemoteHub hub = RemoteHub.create("127.0.0.1", fakeBroker.getLocalPort(), Codecs.utf8(),
                        RemoteHubOptions.defaults().backoff(Duration.ofMillis(10), Duration.ofMillis(50), 0))) {
            fakeBroker.setSoTimeout((int) WAIT.toMillis());
            List<Object> told = new CopyOnWriteArrayList<>();
            hub.subscribe(KEY, SubscribeOptions.defaults().overflow(Overflow.DROP_OLDEST).onDrop(told::add))
                    .subscribe(new Stalled());
            hub.subscribe(Key.parse("drops.error"), SubscribeOptions.defaults().onDrop(told::add))
                    .subscribe(new Stalled());

            try (FakeConnection c = FakeConnection.accept(fakeBroker, 2)) {
                c.send(new DroppedFrame(c.dropOldestId + 1_000, 5).encode()); // unknown id: ignored
                c.send(new DroppedFrame(c.dropOldestId, 3).encode());
                Await.until(WAIT, () -> sum(told) == 3, () -> "told of the 3, told " + told);
                assertThat(hub.stats().dropped(Overflow.DROP_OLDEST)).isEqualTo(3);
                c.send(ByteBuffer.allocate(9).put((byte) 0x11).putInt(c.dropOldestId).putInt(0).array());
                c.awaitClosedByTheClient();
            }
            awaitLostWith(log, "DROPPED count is 0; expected 1..2147483647");

            try (FakeConnection c = FakeConnection.accept(fakeBroker, 2)) { // reconnected, subscribed again
                c.send(ByteBuffer.allocate(9).put((byte) 0x11).putInt(c.dropOldestId).putInt(0x8000_0000).array());
                c.awaitClosedByTheClient();
            }
            awaitLostWith(log, "count is 2147483648; expected at most 2147483647");

            int errorId;
            try (FakeConnection c = FakeConnection.accept(fakeBroker, 2)) {
                errorId = c.errorId;
                c.send(new DroppedFrame(c.errorId, 1).encode());
                c.awaitClosedByTheClient();
            }
            awaitLostWith(log, "sent DROPPED (count 1) for subscriber " + errorId
                    + " of 'drops.error', whose overflow policy ERROR never drops");

            try (FakeConnection c = FakeConnection.accept(fakeBroker, 1)) { // a version 1 broker
                c.send(new DroppedFrame(c.dropOldestId, 1).encode());
                c.awaitClosedByTheClient();
            }
            awaitLostWith(log, "sent DROPPED, a version 2 frame, on a version 1 connection");

            assertThat(sum(told)).as("only the valid report counted").isEqualTo(3);
            assertThat(hub.stats().dropped(Overflow.DROP_OLDEST)).isEqualTo(3);
            assertThat(hub.stats().dropped(Overflow.ERROR)).isZero();
        } finally {
            LoggerUtils.disableCapture();
        }
    }

    /**
     * Waits until the hub logged the loss of its connection with a {@link io.github.reactivepubsub.ProtocolException}
     * as the reason, whose message holds {@code reason}: the specific error, not a mere close.
     */
    private static void awaitLostWith(TestLogger log, String reason) {
        Await.until(WAIT, () -> log.getErrContent().lines().anyMatch(line -> line.contains("lost (")
                        && line.contains("io.github.reactivepubsub.ProtocolException: ") && line.contains(reason)),
                () -> "a connection lost with a ProtocolException saying \"" + reason + "\": " + log.getErrContent());
    }

    /** Requests nothing. */
    private static final class Stalled extends BaseSubscriber<Message<Object>> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
        }
    }

    /** One accepted connection of the fake broker: HELLO read, WELCOME sent, both SUBSCRIBE frames read. */
    private static final class FakeConnection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private int dropOldestId;
        private int errorId;

        private FakeConnection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) WAIT.toMillis());
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        static FakeConnection accept(ServerSocket server, int version) throws IOException {
            FakeConnection c = new FakeConnection(server.accept());
            assertThat(c.read()).isInstanceOf(HelloFrame.class);
            c.send(new WelcomeFrame(version, 60_000, 65_535, 16, 1_024, 0).encode());
            for (int subscribes = 0; subscribes < 2; ) {
                if (c.read() instanceof SubscribeFrame s) {
                    subscribes++;
                    if (s.overflow() == Overflow.ERROR) {
                        c.errorId = s.id();
                    } else {
                        c.dropOldestId = s.id();
                    }
                }
            }
            return c;
        }

        Frame read() throws IOException {
            int n = ByteBuffer.wrap(in.readNBytes(4)).getInt();
            return FrameCodec.STRICT.decode(ByteBuffer.wrap(in.readNBytes(n)));
        }

        void send(byte[] body) throws IOException {
            out.write(ByteBuffer.allocate(4).putInt(body.length).array());
            out.write(body);
            out.flush();
        }

        /** Reads (and ignores) what the client still sends until it closes the connection. */
        void awaitClosedByTheClient() throws IOException {
            while (in.read() != -1) {
                // frames written before the close
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
