package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.redis.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code PubSubClient --redis}: publishing and subscribing through a real redis-server, no broker. */
class PubSubClientRedisTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    @Test
    void aSubscriberPrintsWhatAnotherClientPublishesButNotADeeperKey() throws Exception {
        ByteArrayOutputStream subscribed = new ByteArrayOutputStream();
        PrintStream subscriberOut = new PrintStream(subscribed, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> subscriber = CompletableFuture.supplyAsync(() -> PubSubClient.run(
                new String[] {"--redis", REDIS.uri(), "subscribe", "news.*", "--count", "2"}, subscriberOut,
                subscriberOut));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!subscribed.toString(StandardCharsets.UTF_8).contains("subscribed to news.*")) { // bounded polling
            assertThat(System.nanoTime()).as("subscribed: " + subscribed).isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(publish("news.tech", "héllo wörld")).isEqualTo("publish news.tech: SENT\n");
        assertThat(publish("news.tech.deeper", "not for news.*")).isEqualTo("publish news.tech.deeper: SENT\n");
        assertThat(publish("news.sport", "goal")).isEqualTo("publish news.sport: SENT\n");
        assertThat(subscriber.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(subscribed.toString(StandardCharsets.UTF_8))
                .isEqualTo("subscribed to news.*\nnews.tech héllo wörld\nnews.sport goal\n");
    }

    @Test
    void redisGoesWithoutBrokerOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(PubSubClient.run(new String[] {"--redis", REDIS.uri(), "--port", "7400", "publish", "k", "v"},
                stream, stream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--redis goes without --host, --port");
    }

    private static String publish(String key, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(PubSubClient.run(new String[] {"--redis", REDIS.uri(), "publish", key, text}, stream, stream))
                .as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
