package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

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
public class RemoteHubLatencyBenchmark extends TransportBenchmark {

    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1) / 10_000;

    private LoopbackPair pair;
    private ByteBuf frame;
    private long nextSend;

    @Setup(Level.Trial)
    public void setUp() {
        // raw: each read of the publisher connection is written and flushed to the subscriber at once
        pair = new LoopbackPair(SubscribeOptions.defaults(), (from, to) -> from.inbound().receive().retain()
                .subscribe(b -> to.channel().writeAndFlush(b)));
        frame = RemoteHubBenchmark.publishFrame();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.close();
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
        long target = pair.received.get() + 1;
        PublishResult result = pair.publisher.publish(RemoteHubBenchmark.KEY, RemoteHubBenchmark.PAYLOAD);
        if (result != PublishResult.SENT) {
            throw new IllegalStateException("publish " + result);
        }
        return awaitAtLeast(pair.received, target);
    }

    @Benchmark
    public long rawReactorNetty() {
        long target = pair.rawBytes.get() + frame.readableBytes();
        pair.rawPublisher.channel().writeAndFlush(frame.retainedDuplicate());
        return awaitAtLeast(pair.rawBytes, target);
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
