package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * Publish → broker → remote subscriber over loopback, 64-byte payloads, one operation = one message delivered:
 * {@link #remoteHub} (a {@link RemoteHub} publisher, a {@link PubSubServer} over an in-process hub, a {@link RemoteHub}
 * subscriber) beside {@link #rawForwarder} (a Reactor Netty client writing the same PUBLISH frames, a server
 * forwarding the bytes unchanged to a subscriber connection, which counts them).
 *
 * <p>The hub publisher keeps at most {@value #WINDOW} messages in flight (sent minus received) so that the
 * subscription's buffer at the broker (65,536) never overflows; the raw path relies on TCP backpressure alone.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RemoteHubBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class RemoteHubBenchmark {

    static final int MESSAGES = 200_000;
    static final int WINDOW = 32_768;
    static final Key KEY = Key.parse("bench.k");
    static final byte[] PAYLOAD = new byte[64];
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Payloads as they are: the broker forwards bytes. */
    static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    };

    private Hub brokerHub;
    private PubSubServer broker;
    private RemoteHub publisher;
    private RemoteHub subscriber;
    private final AtomicLong received = new AtomicLong();

    private DisposableServer forwarder;
    private Connection rawPublisher;
    private Connection rawSubscriber;
    private final AtomicLong rawBytes = new AtomicLong();
    private int frameLength;

    @Setup(Level.Trial)
    public void setUp() {
        brokerHub = Hub.create();
        // room for the 32,768 messages in flight at the broker, by count and by bytes: the subscription never overflows
        broker = PubSubServer.bind(brokerHub, BYTES, PubSubServerOptions.defaults().maxBufferBytes(64L << 20)
                .maxConnectionBufferBytes(64L << 20), "127.0.0.1", 0).block(WAIT);
        subscriber = RemoteHub.create("127.0.0.1", broker.port(), BYTES, RemoteHubOptions.defaults());
        publisher = RemoteHub.create("127.0.0.1", broker.port(), BYTES, RemoteHubOptions.defaults());
        subscriber.connected().block(WAIT);
        publisher.connected().block(WAIT);
        subscriber.<byte[]>subscribe(KEY, SubscribeOptions.defaults().bufferSize(65_536))
                .subscribe(m -> received.incrementAndGet());
        while (brokerHub.subscriberCount(KEY) != 1) {
            LockSupport.parkNanos(1_000_000);
        }

        // raw: the first connection to the forwarder is the subscriber; later ones' bytes are forwarded to it
        AtomicReference<Connection> sink = new AtomicReference<>();
        forwarder = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    if (!sink.compareAndSet(null, c)) {
                        c.inbound().receive().retain()
                                .concatMap(b -> sink.get().outbound().send(Mono.just(b)).then(), 32)
                                .subscribe();
                    }
                })
                .handle((in, out) -> Mono.never())
                .bindNow();
        rawSubscriber = TcpClient.newConnection().host("127.0.0.1").port(forwarder.port())
                .handle((in, out) -> in.receive().doOnNext(b -> rawBytes.addAndGet(b.readableBytes())).then())
                .connectNow();
        while (sink.get() == null) {
            LockSupport.parkNanos(1_000_000);
        }
        rawPublisher = TcpClient.newConnection().host("127.0.0.1").port(forwarder.port()).connectNow();
        frameLength = publishFrame().readableBytes();
    }

    /** The bytes of one PUBLISH frame of the hub's protocol (length, type, key, payload). */
    private static ByteBuf publishFrame() {
        byte[] key = KEY.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf frame = Unpooled.buffer(4 + 1 + 2 + key.length + PAYLOAD.length);
        frame.writeInt(1 + 2 + key.length + PAYLOAD.length).writeByte(0x06).writeShort(key.length).writeBytes(key)
                .writeBytes(PAYLOAD);
        return frame;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        publisher.close();
        subscriber.close();
        broker.disposeNow(WAIT);
        brokerHub.close();
        rawPublisher.disposeNow(WAIT);
        rawSubscriber.disposeNow(WAIT);
        forwarder.disposeNow(WAIT);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long remoteHub() {
        long target = received.get() + MESSAGES;
        long sent = received.get();
        for (int i = 0; i < MESSAGES; i++) {
            while (sent - received.get() >= WINDOW) {
                Thread.onSpinWait();
            }
            PublishResult r;
            while ((r = publisher.publish(KEY, PAYLOAD)) != PublishResult.SENT) {
                if (r != PublishResult.BACK_PRESSURED) {
                    throw new IllegalStateException("publish " + r);
                }
                Thread.onSpinWait();
            }
            sent++;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("received " + received.get() + " of " + target);
            }
            Thread.onSpinWait();
        }
        return received.get();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawForwarder() {
        long target = rawBytes.get() + (long) MESSAGES * frameLength;
        ByteBuf template = publishFrame();
        rawPublisher.outbound().send(Flux.range(0, MESSAGES).map(i -> template.retainedDuplicate()))
                .then().block(WAIT);
        template.release();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (rawBytes.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("received " + rawBytes.get() + " of " + target + " bytes");
            }
            Thread.onSpinWait();
        }
        return rawBytes.get();
    }
}
