package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Sinks;

/**
 * Two publishing threads into one topic with one subscriber, each thread publishing as fast as it can.
 *
 * <ul>
 *   <li>{@code hub}: {@code hub.publish(key, payload)} (lock-free queue-drain: the thread that finds the topic
 *       busy leaves its message to the emitting thread and returns);</li>
 *   <li>{@code safeSinkBusyLooping}: {@code Sinks.many().multicast().directBestEffort()} with
 *       {@code emitNext(payload, EmitFailureHandler.busyLooping(1 s))} (spins while the other thread emits). The
 *       handler is created for each {@code emitNext}, as Reactor requires: its deadline is fixed when it is created,
 *       so one shared handler fails every emission with {@code EmissionException} once its second has passed;</li>
 *   <li>{@code safeSinkSpinning}: the same sink with one shared handler that retries {@code FAIL_NON_SERIALIZED}
 *       without a deadline (no {@code nanoTime}, no allocation): the safe sink's fastest spinning form;</li>
 *   <li>{@code synchronizedUnsafeSink}: {@code synchronized (lock) { unsafeSink.tryEmitNext(payload); }} into a
 *       {@code Sinks.unsafe().many().multicast().directBestEffort()}.</li>
 * </ul>
 *
 * The score is publishes per µs summed over both threads. For the hub a publish may return before its message is
 * delivered (the other thread delivers it); the drain it leaves behind runs inside some later publish call, so it is
 * inside the measured time, and tear-down checks that the subscriber received messages.
 */
@Threads(2)
public class ContendedPublishBenchmark extends InProcessBenchmark {

    private static final Payload PAYLOAD = Payload.INSTANCE;
    private static final Duration BUSY_LOOPING = Duration.ofSeconds(1);
    private static final Sinks.EmitFailureHandler SPINNING =
            (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED;

    private final Key key = Key.of("bench", "contended", "topic");
    private final Object lock = new Object();
    private Hub hub;
    private Sinks.Many<Payload> safeSink;
    private Sinks.Many<Payload> unsafeSink;
    private Subscriptions subscriptions;

    /** @param blackhole the sink of every receiver */
    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        subscriptions = new Subscriptions(blackhole);
        hub = Hub.create();
        safeSink = Sinks.many().multicast().directBestEffort();
        unsafeSink = Sinks.unsafe().many().multicast().directBestEffort();
        Receiver h = subscriptions.receiver("hub");
        subscriptions.onUnsubscribe(hub.<Payload>subscribe(key).subscribe(m -> h.accept(m.payload()))::dispose);
        subscriptions.onUnsubscribe(safeSink.asFlux().subscribe(subscriptions.receiver("safeSink")::accept)::dispose);
        subscriptions.onUnsubscribe(
                unsafeSink.asFlux().subscribe(subscriptions.receiver("synchronizedUnsafeSink")::accept)::dispose);
        subscriptions.onUnsubscribe(hub::close);
    }

    /** Checks that the exercised peer's subscriber received messages; unsubscribes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        subscriptions.checkFanOutAndUnsubscribeAll();
    }

    /** @return the hub's publish result */
    @Benchmark
    public PublishResult hub() {
        return hub.publish(key, PAYLOAD);
    }

    /** Emits into the safe sink, busy-looping (up to 1 s) while the other thread emits. */
    @Benchmark
    public void safeSinkBusyLooping() {
        safeSink.emitNext(PAYLOAD, Sinks.EmitFailureHandler.busyLooping(BUSY_LOOPING));
    }

    /** Emits into the safe sink, spinning without a deadline while the other thread emits. */
    @Benchmark
    public void safeSinkSpinning() {
        safeSink.emitNext(PAYLOAD, SPINNING);
    }

    /** @return the unsafe sink's emit result, emitted under a monitor */
    @Benchmark
    public Sinks.EmitResult synchronizedUnsafeSink() {
        synchronized (lock) {
            return unsafeSink.tryEmitNext(PAYLOAD);
        }
    }
}
