package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.github.reactivepubsub.facade.Channels;
import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubPublisher;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.facade.Pub;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.facade.Sub;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The facades written against {@code Hub} (dask's Pub/Sub, pulsar's Channels, aiopubsub's prefixed publisher) on two
 * {@link RedisHub}s of one server, as two processes would use them: what one publishes the other receives.
 */
class RedisFacadesTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger TESTS = new AtomicInteger();

    private RedisHub here;
    private RedisHub there;

    @BeforeEach
    void connect() {
        RedisHubOptions options = RedisHubOptions.defaults().namespace("facades" + TESTS.incrementAndGet() + ":");
        here = RedisHub.create(REDIS.uri(), Codecs.utf8(), options);
        there = RedisHub.create(REDIS.uri(), Codecs.utf8(), options);
        here.connected().block(WAIT);
        there.connected().block(WAIT);
    }

    @AfterEach
    void close() {
        here.close();
        there.close();
    }

    private static void awaitSubscribers(RedisHub hub, String topic, int count) {
        Key key = Key.parse(topic);
        Await.until(WAIT, () -> hub.subscriberCount(key) == count, () -> topic + " has " + count + " subscribers");
    }

    @Test
    void aSubOnOneHubGetsWhatAPubOnAnotherPuts() throws Exception {
        Sub<String> sub = Sub.create(there, "chat.room1");
        try {
            awaitSubscribers(there, "chat.room1", 1);
            Pub<String> pub = Pub.create(here, "chat.room1");
            assertThat(pub.put("hello")).isEqualTo(PublishResult.SENT);
            assertThat(pub.put("again")).isEqualTo(PublishResult.SENT);
            assertThat(sub.get(WAIT)).isEqualTo("hello");
            StepVerifier.create(sub.next()).expectNext("again").verifyComplete();
            assertThat(Pub.create(there, "chat.room1").subscribers()).isEqualTo(1); // local knowledge
            assertThat(pub.subscribers()).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sub.get(Duration.ofMillis(50)))
                    .isInstanceOf(TimeoutException.class);
        } finally {
            sub.close();
        }
        awaitSubscribers(there, "chat.room1", 0);
    }

    @Test
    void channelsRegisteredOnOneHubReceiveEventsPublishedOnAnother() {
        Channels receiving = Channels.create(there, "shop");
        Channels sending = Channels.create(here, "shop");
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable registration = receiving.register("orders", "new*", (event, data) -> received.add(event + "="
                + data));
        Await.until(WAIT, () -> receiving.count("orders").get("orders") == 1, () -> "registered");
        assertThat(sending.publish("orders", "newLimit", "BUY 10 @ 99")).isEqualTo(PublishResult.SENT);
        assertThat(sending.publish("orders", "cancel", "#42")).isEqualTo(PublishResult.SENT); // not new*
        assertThat(sending.publish("orders", "newMarket", "SELL 5")).isEqualTo(PublishResult.SENT);
        Await.until(WAIT, () -> received.size() == 2, () -> "two events, are " + received);
        assertThat(received).containsExactly("newLimit=BUY 10 @ 99", "newMarket=SELL 5");
        assertThat(receiving.count("orders", "payments")).containsExactly(entry("orders", 1), entry("payments", 0));
        assertThat(receiving.channels("*")).containsExactly("orders");
        registration.dispose();
        StepVerifier.create(receiving.status().take(1)).expectNext(ConnectionStatus.CONNECTED).verifyComplete();
    }

    @Test
    void aPrefixedPublisherReachesWildcardSubscribersOfAnotherHub() {
        StepVerifier trades = StepVerifier.create(there.<String>subscribe("*.trade.*")
                        .map(m -> m.key() + " " + m.payload()).take(2))
                .expectNext("NASDAQ.trade.GOOGL 56", "NASDAQ.trade.AAPL 10").expectComplete().verifyLater();
        awaitSubscribers(there, "*.trade.*", 1);
        HubPublisher nasdaq = here.publisher(Key.of("NASDAQ"));
        assertThat(nasdaq.publish(Key.of("trade", "GOOGL"), "56")).isEqualTo(PublishResult.SENT);
        assertThat(nasdaq.publish("trade.AAPL", "10")).isEqualTo(PublishResult.SENT);
        trades.verify(WAIT);
    }

    @Test
    void aSubIterableEndsWhenItsHubCloses() {
        Sub<String> sub = Sub.create(there, "news");
        awaitSubscribers(there, "news", 1);
        StepVerifier.create(sub.asFlux())
                .then(() -> here.publish("news", "one"))
                .expectNext("one")
                .then(there::close)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(there.<String>subscribe("news").map(Message::payload)).expectComplete().verify(WAIT);
    }
}
