package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubOptions;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Publish cost against the number of active topics: {@code topics} exact-key subscriptions
 * ({@code v<i % 100>.trade.s<i>}) plus 1,000 pattern subscriptions, publishing round-robin over the precomputed keys
 * of the active topics ({@code published = all}), or round-robin over the keys of 10 of them ({@code published = hot}).
 * {@code all} touches a different cold topic on every publish at 100,000 topics, so it measures memory latency as
 * much as routing (the {@link RoutingBaselineBenchmark} floor shows the same growth); {@code hot} keeps the
 * published keys the same whatever {@code topics} is, so it isolates how routing cost grows with the number of
 * topics and patterns the hub holds.
 *
 * <p>The 1,000 patterns: {@code *.trade.*} and {@code v0..v99.trade.*} match (every key matches exactly two of
 * them, whatever {@code topics} is, so every publish delivers to three subscribers); 450 {@code *.q<j>.*} and 449
 * {@code v<j % 100>.*.x<j>} share trie nodes with the keys but match none. Tear-down checks exactly that (every
 * exact delivery came with one to {@code *.trade.*} and one to a venue pattern, none to the others), then
 * unsubscribes everything and checks that no topic is left.
 *
 * <p>{@code routeCache}: {@code default} is {@link HubOptions#defaults()} (a route cache of 65,536 keys: with
 * 100,000 keys published round-robin, the first 65,536 cached stay cached and the others walk the trie);
 * {@code off} disables the cache (every publish walks the trie); {@code fits} is a cache of 262,144 keys (every key
 * is cached after the first round).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RoutingBenchmark extends InProcessBenchmark {

    private static final Payload PAYLOAD = Payload.INSTANCE;
    private static final int VENUES = 100;
    private static final int PATTERNS = 1_000;
    private static final int MISSING_Q = 450;

    /** Active exact-key topics, one subscriber each. */
    @Param({"10", "1000", "100000"})
    public int topics;

    /** Route cache set-up: {@code default}, {@code off} or {@code fits}. */
    @Param({"default", "off", "fits"})
    public String routeCache;

    /** Keys published: {@code all} active topics round-robin, or a {@code hot} set of 10 of them. */
    @Param({"all", "hot"})
    public String published;

    private static final int HOT_KEYS = 10;

    private Hub hub;
    private Key[] keys;
    private int next;
    private Subscriptions subscriptions;

    /** @param blackhole the sink of every receiver */
    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        long start = System.nanoTime();
        subscriptions = new Subscriptions(blackhole);
        hub = Hub.create(options(routeCache));
        keys = new Key[topics];
        for (int i = 0; i < topics; i++) {
            keys[i] = Key.of("v" + (i % VENUES), "trade", "s" + i);
            subscribe(keys[i], "exact");
        }
        subscribe(Key.parse("*.trade.*"), "all");
        for (int v = 0; v < VENUES; v++) {
            subscribe(Key.of("v" + v, "trade", Key.ANY), "venue");
        }
        for (int j = 0; j < MISSING_Q; j++) {
            subscribe(Key.of(Key.ANY, "q" + j, Key.ANY), "none");
        }
        for (int j = 0; j < PATTERNS - 1 - VENUES - MISSING_Q; j++) {
            subscribe(Key.of("v" + (j % VENUES), Key.ANY, "x" + j), "none");
        }
        if (published.equals("hot")) {
            keys = Arrays.copyOf(keys, Math.min(HOT_KEYS, keys.length));
        } else if (!published.equals("all")) {
            throw new IllegalArgumentException("published: all or hot; got " + published);
        }
        int active = hub.topics(Key.parse("**")).size();
        if (active != topics + PATTERNS) {
            throw new IllegalStateException(active + " active topics, expected " + (topics + PATTERNS));
        }
        System.out.printf("%n[routing] %d topics + %d patterns subscribed in %d ms%n", topics, PATTERNS,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static HubOptions options(String routeCache) {
        return switch (routeCache) {
            case "default" -> HubOptions.defaults();
            case "off" -> HubOptions.defaults().routeCacheSize(0);
            case "fits" -> HubOptions.defaults().routeCacheSize(1 << 18);
            default -> throw new IllegalArgumentException("routeCache: default, off or fits; got " + routeCache);
        };
    }

    private void subscribe(Key pattern, String group) {
        Receiver r = subscriptions.receiver(group);
        subscriptions.onUnsubscribe(hub.<Payload>subscribe(pattern).subscribe(m -> r.accept(m.payload()))::dispose);
    }

    /** Checks what every group received, unsubscribes everything and checks that no topic is left. */
    @TearDown(Level.Trial)
    public void tearDown() {
        long start = System.nanoTime();
        try {
            long exact = subscriptions.total("exact");
            long all = subscriptions.total("all");
            long venue = subscriptions.total("venue");
            long none = subscriptions.total("none");
            if (exact == 0 || all != exact || venue != exact || none != 0) {
                throw new IllegalStateException("wrong routing: exact " + exact + ", *.trade.* " + all
                        + ", v<n>.trade.* " + venue + ", non-matching patterns " + none);
            }
            subscriptions.unsubscribeAll();
            List<Key> left = hub.topics(Key.parse("**"));
            if (!left.isEmpty()) {
                throw new IllegalStateException(left.size() + " topics left after every subscriber left, e.g. "
                        + left.subList(0, Math.min(5, left.size())));
            }
        } finally {
            hub.close();
        }
        System.out.printf("%n[routing] torn down in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    /** @return the hub's publish result for the next key, round-robin */
    @Benchmark
    public PublishResult publish() {
        Key key = keys[next];
        if (++next == keys.length) {
            next = 0;
        }
        return hub.publish(key, PAYLOAD);
    }
}
