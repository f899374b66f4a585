package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.facade.FacadeContract;
import io.github.reactivepubsub.session.Await;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The {@link HubContract} and the {@link FacadeContract} (as {@link RedisHubContract} adapts them) and the cluster
 * behaviour on a three-master Redis Cluster: exact keys through sharded pub/sub on the shard owning their slot, patterns
 * through classic pub/sub, every publish reaching both once.
 */
class RedisClusterHubTest extends RedisHubContract {

    @RegisterExtension
    static final RedisServer CLUSTER = RedisServer.cluster(3);

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static RedisClusterClient client;

    private String namespace;

    private static RedisClusterClient client() {
        if (client == null) {
            client = RedisClusterClient.create(CLUSTER.uris().stream().map(RedisURI::create).toList());
        }
        return client;
    }

    @AfterAll
    static void shutdownClient() {
        if (client != null) {
            client.shutdown();
            client = null;
        }
    }

    @Override
    RedisHub createHub() {
        namespace = "cl" + TESTS.incrementAndGet() + ":";
        return RedisHub.createCluster(client(), Codecs.utf8(), RedisHubOptions.defaults().namespace(namespace));
    }

    @Test
    void exactKeysOfEveryShardAreShardedAndPatternsSeeEveryPublishOnce() {
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h"); // slots spread over the 3 shards
        List<String> exact = new CopyOnWriteArrayList<>();
        List<String> pattern = new CopyOnWriteArrayList<>();
        List<Disposable> subscriptions = new java.util.ArrayList<>();
        for (String k : keys) {
            subscriptions.add(hub().<String>subscribe("s." + k).subscribe(m -> exact.add(m.payload())));
        }
        subscriptions.add(hub().<String>subscribe("s.*").subscribe(m -> pattern.add(m.payload())));
        for (String k : keys) {
            Await.until(WAIT, () -> hub().subscriberCount(Key.parse("s." + k)) == 1, () -> "s." + k);
        }
        Await.until(WAIT, () -> hub().subscriberCount(Key.parse("s.*")) == 1, () -> "s.*");
        for (String k : keys) {
            hub().publish("s." + k, k);
        }
        Await.until(WAIT, () -> exact.size() == keys.size() && pattern.size() == keys.size(),
                () -> "exact " + exact + ", pattern " + pattern);
        assertThat(exact).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(pattern).containsExactlyInAnyOrderElementsOf(keys);
        // sharded at Redis: each exact key is a shard channel of its own shard
        StepVerifier.create(hub().count(Key.parse("s.a"), Key.parse("s.b")))
                .expectNext(Map.of(Key.parse("s.a"), 1L, Key.parse("s.b"), 1L)).verifyComplete();
        long shardsWithChannels = CLUSTER.uris().stream()
                .filter(uri -> !cli(uri, "PUBSUB", "SHARDCHANNELS", namespace + "s.*").isBlank()).count();
        assertThat(shardsWithChannels).as("shards holding our shard channels").isGreaterThan(1);
        subscriptions.forEach(Disposable::dispose);
    }

    @Test
    void redisCliSpublishReachesAnExactSubscriberAndPublishAPatternSubscriber() {
        StepVerifier exact = StepVerifier.create(hub().<String>subscribe("cli.k").map(Message::payload).take(1))
                .expectNext("sharded").expectComplete().verifyLater();
        StepVerifier pattern = StepVerifier.create(hub().<String>subscribe("cli.*").map(Message::payload).take(1))
                .expectNext("classic").expectComplete().verifyLater();
        Await.until(WAIT, () -> hub().subscriberCount(Key.parse("cli.k")) == 1
                && hub().subscriberCount(Key.parse("cli.*")) == 1, () -> "subscribed");
        // -c follows MOVED to the shard owning the channel's slot
        cliCluster("SPUBLISH", namespace + "cli.k", "sharded");
        cliCluster("PUBLISH", namespace + "cli.k", "classic");
        exact.verify(WAIT);
        pattern.verify(WAIT);
    }

    @Test
    void withoutClusterPatternsAPatternFailsAndAPublishIsOneSpublish() {
        RedisHub shardedOnly = RedisHub.createCluster(client(), Codecs.utf8(),
                RedisHubOptions.defaults().namespace(namespace).clusterPatterns(false));
        try {
            shardedOnly.connected().block(WAIT);
            StepVerifier.create(shardedOnly.subscribe("x.*"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisHubException.class)
                            .hasMessageContaining("patterns are disabled in cluster mode"))
                    .verify(WAIT);
            StepVerifier exact = StepVerifier.create(hub().<String>subscribe("x.k").map(Message::payload).take(1))
                    .expectNext("one").expectComplete().verifyLater();
            Await.until(WAIT, () -> hub().subscriberCount(Key.parse("x.k")) == 1, () -> "subscribed");
            StepVerifier.create(shardedOnly.publishAndCount(Key.parse("x.k"), "one")).expectNext(1L)
                    .verifyComplete();
            exact.verify(WAIT);
        } finally {
            shardedOnly.close();
        }
    }

    @Test
    void replayTopicsWorkInClusterMode() {
        RedisHub other = RedisHub.createCluster(client(), Codecs.utf8(), RedisHubOptions.defaults()
                .namespace(namespace));
        try {
            other.connected().block(WAIT);
            Disposable d1 = hub().declare(Key.parse("book"), TopicOptions.defaults().replay(2));
            Disposable d2 = other.declare(Key.parse("book"), TopicOptions.defaults().replay(2));
            for (int i = 1; i <= 3; i++) {
                StepVerifier.create(hub().publishAndCount(Key.parse("book"), "v" + i)).expectNextCount(1)
                        .verifyComplete();
            }
            StepVerifier.create(other.<String>subscribe("book").map(Message::payload))
                    .expectNext("v2", "v3")
                    .then(() -> {
                        Await.until(WAIT, () -> other.subscriberCount(Key.parse("book")) == 1, () -> "live");
                        hub().publish("book", "v4");
                    })
                    .expectNext("v4")
                    .thenCancel()
                    .verify(WAIT);
            d1.dispose();
            d2.dispose();
        } finally {
            other.close();
        }
    }

    private static String cli(String uri, String... args) {
        RedisURI parsed = RedisURI.create(uri);
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(parsed.getPort())));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String cliCluster(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-c", "-h", "127.0.0.1", "-p",
                Integer.toString(CLUSTER.port())));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
