package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.netty.buffer.ByteBuf;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * One-way latency over loopback at a paced rate of 10,000 messages per second, 64-byte payloads: one operation is
 * one message from the publish call until the subscriber has it (publisher, broker and subscriber in this JVM, so
 * both ends read the same clock). {@code Mode.SampleTime} gives the percentiles.
 *
 * <ul>
 *   <li>{@code remoteHub}: a {@link RemoteHub} publishes to a {@link PubSubServer} over an in-process hub, which
 *       delivers to a {@code RemoteHub} subscriber of the key;</li>
 *   <li>{@code rawReactorNetty}: the same PUBLISH frame bytes written and flushed by a Reactor Netty client, written
 *       and flushed unchanged by a Reactor Netty server to a subscriber connection, which counts bytes (no
 *       decoding, no per-message object).</li>
 * </ul>
 * Pacing happens in a per-invocation set-up (outside the measured time): each message leaves at least 100 µs after
 * the previous one left, and only once it arrived. The benchmark thread spins while it waits for the arrival, so the
 * publisher's, broker's and subscriber's event loops share the other core.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RemoteHubLatencyBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class RemoteHubLatencyBenchmark {

    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1) / 10_000;

    private Hub brokerHub;
    private PubSubServer broker;
    private RemoteHub publisher;
    private RemoteHub subscriber;
    private final AtomicLong received = new AtomicLong();

    private DisposableServer forwarder;
    private Connection rawPublisher;
    private Connection rawSubscriber;
    private final AtomicLong rawBytes = new AtomicLong();
    private ByteBuf frame;

    private long nextSend;

    @Setup(Level.Trial)
    public void setUp() {
        brokerHub = Hub.create();
        broker = PubSubServer.bind(brokerHub, RemoteHubBenchmark.BYTES, PubSubServerOptions.defaults(), "127.0.0.1",
                0).block(RemoteHubBenchmark.WAIT);
        subscriber = RemoteHub.create("127.0.0.1", broker.port(), RemoteHubBenchmark.BYTES,
                RemoteHubOptions.defaults());
        publisher = RemoteHub.create("127.0.0.1", broker.port(), RemoteHubBenchmark.BYTES,
                RemoteHubOptions.defaults());
        subscriber.connected().block(RemoteHubBenchmark.WAIT);
        publisher.connected().block(RemoteHubBenchmark.WAIT);
        subscriber.<byte[]>subscribe(RemoteHubBenchmark.KEY).subscribe(m -> received.incrementAndGet());
        while (brokerHub.subscriberCount(RemoteHubBenchmark.KEY) != 1) {
            LockSupport.parkNanos(1_000_000);
        }

        // raw: the first connection to the forwarder is the subscriber; each read of a later one is written and
        // flushed to it at once
        AtomicReference<Connection> sink = new AtomicReference<>();
        forwarder = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    if (!sink.compareAndSet(null, c)) {
                        c.inbound().receive().retain().subscribe(b -> sink.get().channel().writeAndFlush(b));
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
        frame = RemoteHubBenchmark.publishFrame();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        publisher.close();
        subscriber.close();
        broker.disposeNow(RemoteHubBenchmark.WAIT);
        brokerHub.close();
        rawPublisher.disposeNow(RemoteHubBenchmark.WAIT);
        rawSubscriber.disposeNow(RemoteHubBenchmark.WAIT);
        forwarder.disposeNow(RemoteHubBenchmark.WAIT);
        frame.release();
    }

    /** Waits (parked, then spinning for the last 20 µs) until the next message may leave. */
    @Setup(Level.Invocation)
    public void pace() {
        long now = System.nanoTime();
        long wait = nextSend - now;
        if (wait > 50_000) {
            LockSupport.parkNanos(wait - 20_000);
        }
        while ((now = System.nanoTime()) < nextSend) {
            Thread.onSpinWait();
        }
        nextSend = now + PERIOD_NANOS;
    }

    @Benchmark
    public long remoteHub() {
        long target = received.get() + 1;
        PublishResult result = publisher.publish(RemoteHubBenchmark.KEY, RemoteHubBenchmark.PAYLOAD);
        if (result != PublishResult.SENT) {
            throw new IllegalStateException("publish " + result);
        }
        return awaitAtLeast(received, target);
    }

    @Benchmark
    public long rawReactorNetty() {
        long target = rawBytes.get() + frame.readableBytes();
        rawPublisher.channel().writeAndFlush(frame.retainedDuplicate());
        return awaitAtLeast(rawBytes, target);
    }

    private static long awaitAtLeast(AtomicLong counter, long target) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long value;
        while ((value = counter.get()) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reached " + value + " of " + target + " in 10 s");
            }
            Thread.onSpinWait();
        }
        return value;
    }
}
