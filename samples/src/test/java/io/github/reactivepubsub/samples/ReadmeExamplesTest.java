package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.codec.FieldType;
import io.github.reactivepubsub.codec.MessageDefinition;
import io.github.reactivepubsub.codec.MessageRegistry;
import io.github.reactivepubsub.codec.RecordDefinition;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.github.reactivepubsub.facade.Channels;
import io.github.reactivepubsub.facade.Pub;
import io.github.reactivepubsub.facade.Sub;
import io.github.reactivepubsub.mmap.Datagram;
import io.github.reactivepubsub.mmap.FeedBridge;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.github.reactivepubsub.mmap.PublisherOptions;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisHubOptions;
import io.github.reactivepubsub.redis.RedisServer;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessionServer;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.github.reactivepubsub.tcp.soup.Authenticator;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpClient;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupClientOptions;
import io.github.reactivepubsub.tcp.soup.SoupLogin;
import io.github.reactivepubsub.tcp.soup.SoupServerOptions;
import io.github.reactivepubsub.tcp.soup.SoupSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The 30-second examples of the top-level README, as they are printed there (between the {@code README} markers),
 * so that the README only shows code that compiles and does what it says.
 */
class ReadmeExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    record Trade(String symbol, long quantity, long price) {
    }

    @Test
    void hub() {
        List<String> printed = new CopyOnWriteArrayList<>();
        // README hub
        Hub hub = Hub.create();
        hub.<Trade>subscribe(Key.parse("*.trade.*"))                  // every trade on every exchange
           .subscribe(m -> printed.add(m.key() + " " + m.payload().quantity()));

        LongAdder dropped = new LongAdder();                          // a slow consumer: its own buffer,
        Flux<Message<Trade>> nyse = hub.subscribe(Key.parse("NYSE.**"), // dropping the oldest when full
                SubscribeOptions.defaults().bufferSize(1024).overflow(Overflow.DROP_OLDEST)
                        .onDrop(m -> dropped.increment()));

        PublishResult r = hub.publisher(Key.of("NASDAQ")).publish(Key.of("trade", "GOOGL"), new Trade("GOOGL", 56, 1639));
        // r is DELIVERED(1); NO_SUBSCRIBERS and CLOSED are values too, never exceptions
        // README end
        StepVerifier.create(nyse.take(1).map(m -> m.payload().symbol()))
                .then(() -> hub.publish("NYSE.trade.IBM", new Trade("IBM", 10, 140)))
                .expectNext("IBM")
                .verifyComplete();
        hub.close();
        assertThat(r).isEqualTo(PublishResult.delivered(1));
        assertThat(printed).containsExactly("NASDAQ.trade.GOOGL 56", "NYSE.trade.IBM 10");
        assertThat(dropped.sum()).isZero();
    }

    @Test
    void pubSub() throws Exception {
        try (Hub hub = Hub.create()) {
            // README pubsub
            Sub<String> sub = Sub.create(hub, "chat.room1");          // buffers from now on
            Pub<String> pub = Pub.create(hub, "chat.room1");
            pub.put("hello");
            String first = sub.get(Duration.ofSeconds(1));            // blocking: not on a Reactor thread
            Mono<String> next = sub.next();                           // non-blocking
            // README end
            assertThat(first).isEqualTo("hello");
            assertThat(pub.subscribers()).isEqualTo(1);
            StepVerifier.create(next).then(() -> pub.put("again")).expectNext("again").verifyComplete();
            sub.close();
        }
    }

    @Test
    void channels() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Hub hub = Hub.create()) {
            // README channels
            Channels channels = Channels.create(hub, "app");           // hub keys: app.<channel>.<event>
            Disposable registration = channels.register("orders", "new*", // '*' = any characters; everything
                    (event, data) -> seen.add(event + ": " + data));     // else is literal (no regex)
            channels.publish("orders", "newLimit", "BUY 10 @ 99");
            channels.publish("orders", "cancel", "#42");                 // not matched by new*
            channels.status().subscribe(s -> seen.add("status " + s));  // CONNECTED, CLOSED (remote hubs: more)
            // README end
            registration.dispose();
        }
        assertThat(seen).containsExactly("newLimit: BUY 10 @ 99", "status CONNECTED", "status CLOSED");
    }

    record AddOrder(long orderRef, char side, long shares, String stock, long price) {
    }

    @Test
    void codec() {
        // README codec
        RecordDefinition<AddOrder> body = RecordDefinition.builder(AddOrder.class)
                .field("orderRef", FieldType.LONG_BE)
                .field("side", FieldType.CHAR_ASCII)
                .field("shares", FieldType.UNSIGNED_INT_BE)
                .field("stock", FieldType.fixedAscii(8))
                .field("price", FieldType.UNSIGNED_INT_BE)
                .build();
        MessageRegistry itch = MessageRegistry.builder("ITCH", MessageRegistry.Direction.OUTGOING)
                .register(MessageDefinition.of('A', body))
                .build();
        byte[] wire = itch.encode(new AddOrder(42, 'B', 100, "AAPL", 1_500_000));   // 'A' + 25 bytes
        Record decoded = itch.decode(ByteBuffer.wrap(wire));                        // an AddOrder again
        // malformed bytes: ProtocolException with the offset and what was expected
        // README end
        assertThat(wire).hasSize(26);
        assertThat(decoded).isEqualTo(new AddOrder(42, 'B', 100, "AAPL", 1_500_000));
    }

    @Test
    void session() {
        // README session
        var pair = InMemoryConnections.pair();                       // or TcpSessions (below)
        Session<String, String> client = Session.create(pair.client(),
                FrameDecoder.lengthPrefixed(Codecs.utf8(), 65_535), FrameEncoder.lengthPrefixed(Codecs.utf8()));
        Session<String, String> server = Session.create(pair.server(),
                FrameDecoder.lengthPrefixed(Codecs.utf8(), 65_535), FrameEncoder.lengthPrefixed(Codecs.utf8()));
        server.inbound().concatMap(m -> server.send("echo:" + m)).subscribe(); // demand = dispatching
        Mono<String> reply = client.send("hi").then(client.receive());           // pull one message
        // README end
        StepVerifier.create(reply).expectNext("echo:hi").verifyComplete();
        StepVerifier.create(Mono.defer(client::close).then(Mono.defer(server::close))).verifyComplete();
    }

    @Test
    void mmap(@TempDir Path dir) {
        Path file = dir.resolve("md.feed");
        List<String> hexes = new CopyOnWriteArrayList<>();
        try (Hub hub = Hub.create()) {
            // README mmap
            MmapPublisher publisher = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE)); // or RTG
            MmapSubscriber feed = MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE));        // any process
            FeedBridge bridge = FeedBridge.feedToHub(feed, hub,
                    d -> Key.of("md", "tick"), Datagram::toHex);    // each datagram -> a hub message
            hub.<String>subscribe(Key.parse("md.*")).subscribe(m -> hexes.add(m.payload()));
            publisher.publish(new byte[] {1, 2, 3});                  // arrives as "010203" on md.tick
            // feed.messagesLost() / feed.lappedCount(): loss is counted, never silent
            // README end
            await(() -> !hexes.isEmpty(), "the datagram reached the hub's subscriber");
            assertThat(hexes).containsExactly("010203");
            bridge.dispose();
            feed.close();
            publisher.close();
        }
    }

    @Test
    void tcpSession() {
        // README tcp
        TcpSessionServer server = TcpSessions.bind("127.0.0.1", 0, Codecs.utf8(), Codecs.utf8(),
                        TcpSessionOptions.defaults(),
                        session -> session.inbound().concatMap(m -> session.send("echo:" + m)))
                .block();                                             // or a pre-configured TcpServer (TLS...)
        Session<String, String> client = TcpSessions.connect("127.0.0.1", server.port(), Codecs.utf8(),
                Codecs.utf8(), TcpSessionOptions.defaults().maxFrameLength(1 << 20)).block();
        // README end
        StepVerifier.create(client.send("hi").then(client.receive())).expectNext("echo:hi").verifyComplete();
        StepVerifier.create(Mono.defer(client::close)).verifyComplete();
        server.disposeNow();
    }

    @Test
    void soupBinTcp() {
        // README soup
        SoupBinTcpServer server = SoupBinTcpServer.bindNow("127.0.0.1", 0,
                SoupServerOptions.defaults().authenticator(Authenticator.of("ABC", "secret")));
        SoupSession today = server.createSession("SESS1");           // the sequenced stream (bounded store)
        today.publish("msg-1");
        today.publish("msg-2");

        SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", server.port(),
                new SoupLogin("ABC", "secret", "SESS1", 1),          // replay from 1 (0 = only new ones)
                SoupClientOptions.defaults());
        Flux<String> received = client.messages()                    // reconnects resume at the next number
                .map(m -> m.sequence() + " " + m.payloadAsString());
        // README end
        StepVerifier.create(received.take(2)).expectNext("1 msg-1", "2 msg-2").verifyComplete();
        server.disposeNow();
    }

    @Test
    void remoteHub() {
        try (Hub local = Hub.create()) {
            // README remote
            PubSubServer broker = PubSubServer.bind(local, Codecs.utf8(),
                    PubSubServerOptions.defaults().credentials("u", "p"), "127.0.0.1", 0).block();
            Hub remote = RemoteHub.create("127.0.0.1", broker.port(), Codecs.utf8(),
                    RemoteHubOptions.defaults().credentials("u", "p"));   // the same Hub interface
            Flux<Message<String>> news = remote.subscribe(Key.parse("news.**")); // demand travels as credit
            remote.status().subscribe(s -> log.add("status " + s));   // CONNECTING, CONNECTED, ... reconnects
            // remote.publish(...) is SENT when written, DISCONNECTED (never queued) while the link is down
            // README end
            StepVerifier.create(news.take(1).map(Message::payload))
                    .then(() -> awaitSubscribers(local, Key.parse("news.**")))
                    .then(() -> local.publish("news.sport", "goal"))
                    .expectNext("goal")
                    .verifyComplete();
            remote.close();
            broker.disposeNow();
            assertThat(log).startsWith("status CONNECTING").contains("status CONNECTED");
        }
    }

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    @Test
    void redisHub() {
        String redisUri = REDIS.uri();
        List<String> printed = new CopyOnWriteArrayList<>();
        // README redis
        RedisHub hub = RedisHub.create(redisUri, Codecs.utf8(),            // e.g. "redis://localhost:6379"
                RedisHubOptions.defaults().namespace("app:"));             // channels app:<key>
        hub.<String>subscribe(Key.parse("*.trade.*"))                       // PSUBSCRIBE app:*.trade.*, then
           .subscribe(m -> printed.add(m.key() + " " + m.payload()));       // filtered: '*' is one segment
        Disposable book = hub.declare(Key.parse("book.ETF"),                // a Redis Stream: late joiners get
                TopicOptions.defaults().replay(10));                        // the last 10, then live, no gap
        // any process on this Redis: hub.publish(Key.parse("NYSE.trade.IBM"), "100@140") is SENT
        // (DISCONNECTED while Redis is away), or: redis-cli PUBLISH app:NYSE.trade.IBM 100@140
        Mono<Map<Key, Long>> counts = hub.count(Key.parse("NYSE.trade.IBM")); // PUBSUB NUMSUB: every client
        // README end
        awaitSubscribers(hub, Key.parse("*.trade.*"));
        assertThat(hub.publish(Key.parse("NYSE.trade.IBM.extra"), "deeper")).isEqualTo(PublishResult.SENT);
        assertThat(REDIS.cli("PUBLISH", "app:NYSE.trade.IBM", "100@140")).isEqualTo("1\n");
        StepVerifier.create(counts).expectNext(Map.of(Key.parse("NYSE.trade.IBM"), 0L)).verifyComplete();
        await(() -> !printed.isEmpty(), "the redis-cli PUBLISH reached the subscriber");
        assertThat(printed).containsExactly("NYSE.trade.IBM 100@140");
        book.dispose();
        hub.close();
    }

    private final List<String> log = new CopyOnWriteArrayList<>();

    private static void awaitSubscribers(Hub hub, Key topic) {
        await(() -> hub.subscriberCount(topic) != 0, "remote subscription reached the broker");
    }

    /** Spins until {@code condition} holds; fails once {@link #WAIT} passed without it. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void metrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Hub hub = Hub.create()) {
            // README metrics
            HubMetrics.of(hub).name("market")                        // tag hub=market on every meter
                    .topics(List.of(Key.parse("md.*")))               // the only topic with meters of its own
                    .bindTo(registry);                                // counting starts here
            hub.subscribe("md.*").subscribe();
            hub.publish("md.tick", "1");
            double delivered = registry.get("reactive.pubsub.hub.published")
                    .tags("hub", "market", "result", "delivered").functionCounter().count();   // 1.0
            // README end
            assertThat(delivered).isEqualTo(1.0);
        }
    }
}
