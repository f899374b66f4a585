package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisHubOptions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.Disposable;

/**
 * Publish → redis-server → subscriber over loopback, 64-byte payloads, one operation = one message published and
 * received by every subscriber (so the score is messages per second end to end), all in the same run against one
 * {@code redis-server} that {@link #setUp()} starts (persistence off) and {@link #tearDown()} stops:
 *
 * <ul>
 *   <li>{@link #redisHub}: a {@link RedisHub} publisher, a {@link RedisHub} subscriber of the key;</li>
 *   <li>{@link #rawLettuce}: the peer, Lettuce alone as most code uses it: {@code async().publish} of the same bytes
 *       on one connection (Lettuce writes and flushes each command), a pub/sub connection's reactive
 *       {@code observeChannels()} counting them;</li>
 *   <li>{@link #rawLettucePipelined}: the same with Lettuce's documented pipelining for one publishing thread
 *       ({@code setAutoFlushCommands(false)} on a connection of its own, {@code flushCommands()} every
 *       {@code flushEvery} publishes and before waiting for the window): the best raw Lettuce found;</li>
 *   <li>{@link #redisHubFanOut10} / {@link #rawLettuceFanOut10} / {@link #rawLettucePipelinedFanOut10}: the same
 *       with 10 subscribers on the subscribing hub (one connection) / 10 {@code observeChannels()} listeners on one
 *       Lettuce connection; an operation is one message received by all 10;</li>
 *   <li>{@link #remoteHub}: our TCP {@link RemoteHub} → {@code PubSubServer} → {@link RemoteHub}, for scale.</li>
 * </ul>
 *
 * Every publisher keeps at most {@value #WINDOW} messages in flight (published minus received by the slowest
 * subscriber), so nothing overflows and Redis never holds much for the subscriber; the hub's {@code BACK_PRESSURED}
 * is retried. Each raw case has a pub/sub connection of its own (a Lettuce listener sees every message of its
 * connection, so listeners of another case would cost it), as each hub topic is routed by its channel.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisHubBenchmark -f 1 -wi 3 -i 3 -w 3s -r 3s -prof gc
 * </pre>
 */
public class RedisHubBenchmark extends TransportBenchmark {

    static final int MESSAGES = 100_000;
    static final int WINDOW = 8_192;
    static final int FAN_OUT = 10;
    static final Key KEY = Key.parse("bench.k");
    static final Key FAN_KEY = Key.parse("bench.fan");
    static final String RAW_CHANNEL = "raw.k";
    static final String RAW_FAN_CHANNEL = "raw.fan";
    static final byte[] PAYLOAD = new byte[64];
    static final Duration WAIT = Duration.ofSeconds(60);

    private Process redis;
    private Path dir;
    private String uri;

    private RedisHub hubPublisher;
    private RedisHub hubSubscriber;
    private final AtomicLong hubReceived = new AtomicLong();
    private final AtomicLong[] hubFanReceived = new AtomicLong[FAN_OUT];
    private final List<Disposable> subscriptions = new ArrayList<>();

    private RedisClient lettuce;
    private StatefulRedisConnection<byte[], byte[]> rawPublisher;
    private StatefulRedisConnection<byte[], byte[]> rawPipelinedPublisher;
    private final List<StatefulRedisPubSubConnection<byte[], byte[]>> rawSubscribers = new ArrayList<>();
    private final AtomicLong rawReceived = new AtomicLong();
    private final AtomicLong[] rawFanReceived = new AtomicLong[FAN_OUT];

    /** Publishes between two flushes of the pipelined raw Lettuce publisher (Lettuce suggests 50 to 1,000). */
    @Param("256")
    public int flushEvery;

    private Hub brokerHub;
    private PubSubServer broker;
    private RemoteHub remotePublisher;
    private RemoteHub remoteSubscriber;
    private final AtomicLong remoteReceived = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        startRedis();
        RedisHubOptions options = RedisHubOptions.defaults().maxInFlight(WINDOW);
        hubPublisher = RedisHub.create(uri, RemoteHubBenchmark.BYTES, options);
        hubSubscriber = RedisHub.create(uri, RemoteHubBenchmark.BYTES, options);
        hubPublisher.connected().block(WAIT);
        hubSubscriber.connected().block(WAIT);
        SubscribeOptions buffer = SubscribeOptions.defaults().bufferSize(2 * WINDOW);
        subscriptions.add(hubSubscriber.subscribe(KEY, buffer).subscribe(m -> hubReceived.incrementAndGet()));
        for (int i = 0; i < FAN_OUT; i++) {
            AtomicLong count = hubFanReceived[i] = new AtomicLong();
            subscriptions.add(hubSubscriber.subscribe(FAN_KEY, buffer).subscribe(m -> count.incrementAndGet()));
        }
        await(() -> hubSubscriber.subscriberCount(KEY) == 1 && hubSubscriber.subscriberCount(FAN_KEY) == FAN_OUT);

        lettuce = RedisClient.create(RedisURI.create(uri));
        rawPublisher = lettuce.connect(ByteArrayCodec.INSTANCE);
        rawPipelinedPublisher = lettuce.connect(ByteArrayCodec.INSTANCE);
        rawPipelinedPublisher.setAutoFlushCommands(false); // used by the one benchmark thread only, as documented
        StatefulRedisPubSubConnection<byte[], byte[]> rawSubscriber = lettuce.connectPubSub(ByteArrayCodec.INSTANCE);
        StatefulRedisPubSubConnection<byte[], byte[]> rawFanSubscriber =
                lettuce.connectPubSub(ByteArrayCodec.INSTANCE);
        rawSubscribers.add(rawSubscriber);
        rawSubscribers.add(rawFanSubscriber);
        subscriptions.add(rawSubscriber.reactive().observeChannels().subscribe(m -> rawReceived.incrementAndGet()));
        for (int i = 0; i < FAN_OUT; i++) {
            AtomicLong count = rawFanReceived[i] = new AtomicLong();
            subscriptions.add(rawFanSubscriber.reactive().observeChannels().subscribe(m -> count.incrementAndGet()));
        }
        rawSubscriber.reactive().subscribe(bytes(RAW_CHANNEL)).block(WAIT);
        rawFanSubscriber.reactive().subscribe(bytes(RAW_FAN_CHANNEL)).block(WAIT);

        brokerHub = Hub.create();
        broker = PubSubServer.bind(brokerHub, RemoteHubBenchmark.BYTES, PubSubServerOptions.defaults(), "127.0.0.1",
                0).block(WAIT);
        remoteSubscriber = RemoteHub.create("127.0.0.1", broker.port(), RemoteHubBenchmark.BYTES,
                RemoteHubOptions.defaults());
        remotePublisher = RemoteHub.create("127.0.0.1", broker.port(), RemoteHubBenchmark.BYTES,
                RemoteHubOptions.defaults());
        remoteSubscriber.connected().block(WAIT);
        remotePublisher.connected().block(WAIT);
        subscriptions.add(remoteSubscriber.subscribe(KEY, SubscribeOptions.defaults().bufferSize(65_536))
                .subscribe(m -> remoteReceived.incrementAndGet()));
        await(() -> brokerHub.subscriberCount(KEY) == 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        subscriptions.forEach(Disposable::dispose);
        hubPublisher.close();
        hubSubscriber.close();
        hubPublisher.status().blockLast(WAIT);
        hubSubscriber.status().blockLast(WAIT);
        rawPublisher.close();
        rawPipelinedPublisher.close();
        rawSubscribers.forEach(StatefulRedisPubSubConnection::close);
        lettuce.shutdown();
        remotePublisher.close();
        remoteSubscriber.close();
        broker.disposeNow(WAIT);
        brokerHub.close();
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long redisHub() {
        return publishThroughHub(hubPublisher, KEY, () -> hubReceived.get());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long redisHubFanOut10() {
        return publishThroughHub(hubPublisher, FAN_KEY, () -> slowest(hubFanReceived));
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawLettuce() {
        return publishRaw(RAW_CHANNEL, () -> rawReceived.get());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawLettuceFanOut10() {
        return publishRaw(RAW_FAN_CHANNEL, () -> slowest(rawFanReceived));
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawLettucePipelined() {
        return publishRawPipelined(RAW_CHANNEL, () -> rawReceived.get());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawLettucePipelinedFanOut10() {
        return publishRawPipelined(RAW_FAN_CHANNEL, () -> slowest(rawFanReceived));
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long remoteHub() {
        return publishThroughHub(remotePublisher, KEY, () -> remoteReceived.get());
    }

    private static long publishThroughHub(Hub publisher, Key key, java.util.function.LongSupplier received) {
        return PublishLoop.publish(publisher, key, PAYLOAD, MESSAGES, WINDOW, received, WAIT);
    }

    /** The same window, with Lettuce's async PUBLISH (written and flushed per command, replies not awaited). */
    private long publishRaw(String channel, java.util.function.LongSupplier received) {
        RedisAsyncCommands<byte[], byte[]> async = rawPublisher.async();
        byte[] name = bytes(channel);
        long sent = received.getAsLong();
        long target = sent + MESSAGES;
        for (int i = 0; i < MESSAGES; i++) {
            while (sent - received.getAsLong() >= WINDOW) {
                Thread.yield(); // as PublishLoop
            }
            async.publish(name, PAYLOAD);
            sent++;
        }
        return PublishLoop.awaitReceived(received, target, WAIT);
    }

    /**
     * The same window, with Lettuce's documented pipelining: commands buffered on a connection of this thread alone,
     * written by {@code flushCommands()} every {@link #flushEvery} publishes and whenever the window is full.
     */
    private long publishRawPipelined(String channel, java.util.function.LongSupplier received) {
        RedisAsyncCommands<byte[], byte[]> async = rawPipelinedPublisher.async();
        byte[] name = bytes(channel);
        long sent = received.getAsLong();
        long target = sent + MESSAGES;
        int buffered = 0;
        for (int i = 0; i < MESSAGES; i++) {
            if (sent - received.getAsLong() >= WINDOW) {
                rawPipelinedPublisher.flushCommands();
                buffered = 0;
                while (sent - received.getAsLong() >= WINDOW) {
                    Thread.yield(); // as PublishLoop
                }
            }
            async.publish(name, PAYLOAD);
            sent++;
            if (++buffered == flushEvery) {
                rawPipelinedPublisher.flushCommands();
                buffered = 0;
            }
        }
        rawPipelinedPublisher.flushCommands();
        return PublishLoop.awaitReceived(received, target, WAIT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long slowest(AtomicLong[] counts) {
        long min = Long.MAX_VALUE;
        for (AtomicLong c : counts) {
            min = Math.min(min, c.get());
        }
        return min;
    }

    /** Starts redis-server on a free loopback port in a temporary directory, persistence off; waits for it. */
    private void startRedis() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        dir = Files.createTempDirectory("redis-bench");
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        uri = "redis://127.0.0.1:" + port;
        await(() -> {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("set-up timed out");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
