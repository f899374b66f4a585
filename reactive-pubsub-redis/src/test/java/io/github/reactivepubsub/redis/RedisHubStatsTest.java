package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.github.reactivepubsub.session.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;

/** RedisHub's stats against a real redis-server: publishes by outcome, deliveries, drops, per-topic figures, meters. */
class RedisHubStatsTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final Disposable.Composite cleanup = Disposables.composite();

    @AfterEach
    void closeAll() {
        cleanup.dispose();
    }

    private RedisHub hub() {
        RedisHub hub = RedisHub.create(REDIS.uri(), Codecs.utf8(),
                RedisHubOptions.defaults().namespace("stats" + NAMESPACES.incrementAndGet() + ":"));
        cleanup.add(hub::close);
        hub.connected().block(WAIT);
        return hub;
    }

    /** A subscriber that never requests: its buffer fills up and then applies its overflow policy. */
    private static final class Stalled extends BaseSubscriber<Message<String>> {

        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // requests nothing
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }

    private static void awaitCount(String what, long expected, LongSupplier actual) {
        Await.until(WAIT, () -> actual.getAsLong() == expected,
                () -> what + " == " + expected + ", is " + actual.getAsLong());
    }

    @Test
    void countsPublishesDeliveriesAndTheDropsOfAStalledSubscriber() {
        RedisHub hub = hub();
        Key key = Key.parse("md.tick");
        HubStats stats = hub.stats();
        HubStats.TopicStats tick = stats.topic(key);
        HubStats.TopicStats untouched = stats.topic(Key.parse("md.*"));
        LongAdder ownDrops = new LongAdder();
        Stalled stalled = new Stalled();
        hub.<String>subscribe(key, SubscribeOptions.defaults().bufferSize(4).overflow(Overflow.DROP_OLDEST)
                .onDrop(m -> {
                    ownDrops.increment();
                    if (ownDrops.sum() == 1) {
                        throw new IllegalStateException("a throwing drop listener does not lose the count");
                    }
                })).subscribe(stalled);
        cleanup.add(stalled);
        Queue<String> fast = new ConcurrentLinkedQueue<>();
        cleanup.add(hub.<String>subscribe(key).subscribe(m -> fast.add(m.payload())));
        cleanup.add(hub.subscribe(Key.parse("other.k")).subscribe());
        Await.until(WAIT, () -> hub.subscriberCount(key) == 2, () -> "two subscribers of md.tick");
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse("other.k")) == 1, () -> "a subscriber of other.k");

        for (int i = 0; i < 20; i++) {
            assertThat(hub.publish(key, "t" + i)).isEqualTo(PublishResult.SENT);
        }
        assertThat(hub.publish(Key.parse("other.k"), "o")).isEqualTo(PublishResult.SENT);

        awaitCount("delivered", 41, stats::delivered); // 20 to each subscriber of md.tick, 1 to other.k's
        awaitCount("dropped(DROP_OLDEST)", 16, () -> stats.dropped(Overflow.DROP_OLDEST)); // 20 into a buffer of 4
        assertThat(fast).hasSize(20);
        awaitCount("drops seen by the subscriber's own (once throwing) listener", 16, ownDrops::sum);
        assertThat(stats.published(PublishResult.Status.SENT)).isEqualTo(21);
        assertThat(stats.published(PublishResult.Status.DISCONNECTED)).isZero();
        assertThat(stats.dropped(Overflow.ERROR)).isZero();
        assertThat(stats.dropped(Overflow.DROP_LATEST)).isZero();
        assertThat(stats.topics()).isEqualTo(2);
        assertThat(stats.subscribers()).isEqualTo(3);
        assertThat(stats.bufferFillMax()).isEqualTo(1.0);

        assertThat(tick.topic()).isEqualTo(key);
        assertThat(tick.delivered()).isEqualTo(40);
        assertThat(tick.dropped(Overflow.DROP_OLDEST)).isEqualTo(16);
        assertThat(tick.subscribers()).isEqualTo(2);
        assertThat(tick.bufferFillMax()).isEqualTo(1.0);
        assertThat(untouched.delivered()).as("a pattern nobody subscribed to").isZero();
        assertThat(untouched.subscribers()).isZero();
        assertThat(untouched.bufferFillMax()).isZero();
        assertThat(stats.topic(key).delivered()).as("the same counts again").isEqualTo(40);

        stalled.dispose();
        Await.until(WAIT, () -> hub.subscriberCount(key) == 1, () -> "the stalled subscriber left");
        assertThat(stats.bufferFillMax()).as("the fast subscriber's buffer is empty").isZero();
    }

    @Test
    void underErrorTheMessageThatOverflowedCountsAsDropped() {
        RedisHub hub = hub();
        Key key = Key.parse("strict.k");
        HubStats stats = hub.stats();
        Stalled stalled = new Stalled();
        hub.<String>subscribe(key, SubscribeOptions.defaults().bufferSize(2)).subscribe(stalled);
        cleanup.add(stalled);
        Await.until(WAIT, () -> hub.subscriberCount(key) == 1, () -> "a subscriber");
        for (int i = 0; i < 3; i++) {
            assertThat(hub.publish(key, "m" + i)).isEqualTo(PublishResult.SENT);
        }
        awaitCount("dropped(ERROR)", 1, () -> stats.dropped(Overflow.ERROR));
        Await.until(WAIT, () -> stalled.error.get() != null, () -> "the overflow error");
        assertThat(stalled.error.get()).isInstanceOf(OverflowException.class);
        awaitCount("delivered", 3, stats::delivered);
        assertThat(stats.dropped(Overflow.DROP_OLDEST)).isZero();
    }

    @Test
    void aReplayTopicCountsItsTailAndItsLiveEntries() {
        RedisHub hub = hub();
        Key key = Key.parse("orders");
        cleanup.add(hub.declare(key, TopicOptions.defaults().replay(5)));
        HubStats stats = hub.stats();
        HubStats.TopicStats orders = stats.topic(key);
        for (int i = 0; i < 3; i++) {
            assertThat(hub.publish(key, "early" + i)).isEqualTo(PublishResult.SENT);
        }
        Queue<String> received = new ConcurrentLinkedQueue<>();
        cleanup.add(hub.<String>subscribe(key).subscribe(m -> received.add(m.payload())));
        Await.until(WAIT, () -> received.size() == 3, () -> "the tail, received " + received);
        Await.until(WAIT, () -> hub.subscriberCount(key) == 1, () -> "the subscriber counts once live");
        assertThat(hub.publish(key, "live")).isEqualTo(PublishResult.SENT);
        Await.until(WAIT, () -> received.size() == 4, () -> "the live entry, received " + received);
        awaitCount("delivered", 4, stats::delivered);
        assertThat(orders.delivered()).isEqualTo(4);
        assertThat(orders.subscribers()).isEqualTo(1);
        assertThat(stats.published(PublishResult.Status.SENT)).isEqualTo(4);
    }

    @Test
    void publishesRefusedWhileDisconnectedAndAfterCloseAreCounted() {
        RedisHub down = RedisHub.create("redis://127.0.0.1:1", Codecs.utf8(), RedisHubOptions.defaults()
                .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 0));
        cleanup.add(down::close);
        assertThat(down.publish(Key.parse("k"), "v")).isEqualTo(PublishResult.DISCONNECTED);
        assertThat(down.publish(Key.parse("k"), "v")).isEqualTo(PublishResult.DISCONNECTED);
        assertThat(down.stats().published(PublishResult.Status.DISCONNECTED)).isEqualTo(2);
        assertThat(down.stats().published(PublishResult.Status.SENT)).isZero();

        RedisHub hub = hub();
        assertThat(hub.publish(Key.parse("k"), "v")).isEqualTo(PublishResult.SENT);
        hub.close();
        assertThat(hub.publish(Key.parse("k"), "late")).isEqualTo(PublishResult.CLOSED);
        assertThat(hub.stats().published(PublishResult.Status.CLOSED)).isEqualTo(1);
        assertThat(hub.stats().published(PublishResult.Status.SENT)).isEqualTo(1);
    }

    @Test
    void hubMetricsExposeTheCountsOfARedisHub() {
        RedisHub hub = hub();
        Key key = Key.parse("md.quote");
        MeterRegistry registry = new SimpleMeterRegistry();
        HubMetrics.of(hub).name("redis").topics(List.of(key)).bindTo(registry);
        Queue<String> received = new ConcurrentLinkedQueue<>();
        cleanup.add(hub.<String>subscribe(key).subscribe(m -> received.add(m.payload())));
        Await.until(WAIT, () -> hub.subscriberCount(key) == 1, () -> "a subscriber");
        assertThat(hub.publish(key, "q")).isEqualTo(PublishResult.SENT);
        Await.until(WAIT, () -> received.size() == 1, () -> "the message");
        Await.until(WAIT, () -> registry.get("reactive.pubsub.hub.delivered").tags("hub", "redis").functionCounter()
                .count() == 1, () -> "hub.delivered is 1");

        assertThat(registry.get("reactive.pubsub.hub.published").tags("hub", "redis", "result", "sent")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("reactive.pubsub.topic.delivered").tags("hub", "redis", "topic", "md.quote")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("reactive.pubsub.hub.subscribers").tags("hub", "redis").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("reactive.pubsub.hub.topics").tags("hub", "redis").gauge().value()).isEqualTo(1);
    }
}
