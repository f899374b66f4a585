package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Key;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Sinks;

/**
 * The floor under {@link RoutingBenchmark}: the same {@code topics} exact keys, each an unsafe
 * {@code directBestEffort} sink with one subscriber, found through a plain {@code HashMap} and published to
 * round-robin. No patterns, no thread safety, no per-subscriber buffer: what touching one of {@code topics}
 * different topics per publish costs by itself, mostly CPU-cache misses once the topics no longer fit in cache.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RoutingBaselineBenchmark extends InProcessBenchmark {

    private static final Payload PAYLOAD = Payload.INSTANCE;

    /** Active exact-key topics, one subscriber each. */
    @Param({"10", "1000", "100000"})
    public int topics;

    private final Map<Key, Sinks.Many<Payload>> sinks = new HashMap<>();
    private Key[] keys;
    private int next;
    private Subscriptions subscriptions;

    /** @param blackhole the sink of every receiver */
    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        subscriptions = new Subscriptions(blackhole);
        keys = new Key[topics];
        for (int i = 0; i < topics; i++) {
            keys[i] = Key.of("v" + (i % 100), "trade", "s" + i);
            Sinks.Many<Payload> sink = Sinks.unsafe().many().multicast().directBestEffort();
            Receiver r = subscriptions.receiver("exact");
            subscriptions.onUnsubscribe(sink.asFlux().subscribe(r::accept)::dispose);
            sinks.put(keys[i], sink);
        }
    }

    /** Checks that the subscribers received messages, then unsubscribes them. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (subscriptions.total("exact") == 0) {
                throw new IllegalStateException("no delivery");
            }
        } finally {
            subscriptions.unsubscribeAll();
        }
    }

    /** @return the emit result of the next key's sink, round-robin */
    @Benchmark
    public Sinks.EmitResult publish() {
        Key key = keys[next];
        if (++next == keys.length) {
            next = 0;
        }
        return sinks.get(key).tryEmitNext(PAYLOAD);
    }
}
