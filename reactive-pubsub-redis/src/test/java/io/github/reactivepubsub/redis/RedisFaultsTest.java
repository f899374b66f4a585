package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Faults with a real server: the server killed and restarted mid-stream, this hub's connections killed while the
 * server stays up (a stream-backed topic loses nothing), and a subscriber stalled under 1,000,000 messages.
 */
class RedisFaultsTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    static final Duration WAIT = Duration.ofSeconds(20);

    private final Disposable.Composite cleanup = Disposables.composite();

    @AfterEach
    void closeAll() {
        cleanup.dispose();
    }

    private RedisHub hub(String uri, RedisHubOptions options) {
        RedisHub hub = RedisHub.create(uri, Codecs.utf8(), options);
        cleanup.add(hub::close);
        hub.connected().block(WAIT);
        return hub;
    }

    private static final RedisHubOptions FAST_RETRY = RedisHubOptions.defaults()
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.5);

    @Test
    void aKilledAndRestartedServerIsReconnectedAndEverySubscriptionResubscribedOnce() throws Exception {
        RedisHub hub = hub(REDIS.uri(), FAST_RETRY.namespace("f1:"));
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        cleanup.add(hub.status().subscribe(statuses::add));
        List<String> exact = new CopyOnWriteArrayList<>();
        List<String> pattern = new CopyOnWriteArrayList<>();
        cleanup.add(hub.<String>subscribe("live.k").subscribe(m -> exact.add(m.payload())));
        cleanup.add(hub.<String>subscribe("live.k").subscribe(m -> exact.add("second " + m.payload())));
        cleanup.add(hub.<String>subscribe("live.*").subscribe(m -> pattern.add(m.payload())));
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse("live.k")) == 2
                && hub.subscriberCount(Key.parse("live.*")) == 1, () -> "subscribed");
        hub.publish("live.k", "before");
        Await.until(WAIT, () -> pattern.size() == 1 && exact.size() == 2, () -> "before delivered");

        REDIS.kill();
        Await.until(WAIT, () -> hub.currentStatus() != ConnectionStatus.CONNECTED, () -> "loss noticed");
        assertThat(hub.publish("live.k", "during")).isEqualTo(PublishResult.DISCONNECTED);
        REDIS.restart();
        hub.connected().block(WAIT);

        // exactly one subscription per channel and pattern at the new server, whatever the subscriber count
        assertThat(REDIS.cli("PUBSUB", "NUMSUB", "f1:live.k")).isEqualTo("f1:live.k\n1\n");
        assertThat(REDIS.cli("PUBSUB", "NUMPAT")).isEqualTo("1\n");
        assertThat(REDIS.cli("CLIENT", "LIST", "TYPE", "pubsub").lines().count()).isEqualTo(1);
        hub.publish("live.k", "after");
        Await.until(WAIT, () -> pattern.size() == 2 && exact.size() == 4, () -> "after delivered");
        assertThat(exact).containsExactly("before", "second before", "after", "second after");
        assertThat(pattern).containsExactly("before", "after"); // "during" was refused, nothing else is lost
        assertThat(statuses).containsSubsequence(ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED,
                ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED);
        assertThat(hub.subscriberCount(Key.parse("live.k"))).isEqualTo(2);
    }

    /**
     * Subscriptions made while the server is down are all sent on the next connection; none counts (nor is announced)
     * before that connection is ready for publishes, so a publish made on its {@code Added} event is sent and reaches
     * it. With several confirmations pending, the first ones arrive while the connection still awaits the others.
     */
    @Test
    void aSubscriberMadeDuringAnOutageCountsOnlyOnceAPublishMadeThenReachesIt() throws Exception {
        RedisHub hub = hub(REDIS.uri(), FAST_RETRY.namespace("f6:"));
        List<String> published = new CopyOnWriteArrayList<>();
        cleanup.add(hub.events().subscribe(event -> {
            if (event instanceof HubEvent.Added added && added.key().toString().startsWith("wait.")) {
                // on the thread that counted it: the hub says this subscriber now receives what is published
                published.add(added.key() + " " + hub.publish(added.key(), "hello " + added.key()));
            }
        }));
        REDIS.kill();
        Await.until(WAIT, () -> hub.currentStatus() != ConnectionStatus.CONNECTED, () -> "loss noticed");
        List<String> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            cleanup.add(hub.<String>subscribe("wait.t" + i).subscribe(m -> received.add(m.payload())));
            assertThat(hub.subscriberCount(Key.parse("wait.t" + i))).as("counted while down").isZero();
        }
        REDIS.restart();
        hub.connected().block(WAIT);
        Await.until(WAIT, () -> published.size() == 6, () -> "6 subscribers counted, " + published);
        assertThat(published).allMatch(p -> p.endsWith(" SENT"), "every publish on an Added event is sent");
        Await.until(WAIT, () -> received.size() == 6, () -> "6 messages delivered, " + received);
        assertThat(received).containsExactlyInAnyOrder("hello wait.t0", "hello wait.t1", "hello wait.t2",
                "hello wait.t3", "hello wait.t4", "hello wait.t5");
    }

    @Test
    void messagesPublishedAcrossAServerRestartArriveInOrderWithoutDuplicatesAndNothingIsQueued() throws Exception {
        RedisHub publisher = hub(REDIS.uri(), FAST_RETRY.namespace("f5:"));
        RedisHub subscriber = hub(REDIS.uri(), FAST_RETRY.namespace("f5:"));
        List<Integer> received = new CopyOnWriteArrayList<>();
        cleanup.add(subscriber.<String>subscribe(Key.parse("seq"), SubscribeOptions.defaults().bufferSize(10_000))
                .subscribe(m -> received.add(Integer.parseInt(m.payload()))));
        Await.until(WAIT, () -> subscriber.subscriberCount(Key.parse("seq")) == 1, () -> "subscribed");
        List<Integer> sent = new ArrayList<>();
        int resumedAt = -1;
        for (int i = 0; i < 3_000; i++) {
            if (i == 1_000) {
                Await.until(WAIT, () -> received.size() == 1_000, () -> "the first 1,000 delivered");
                REDIS.kill();
                Await.until(WAIT, () -> publisher.currentStatus() != ConnectionStatus.CONNECTED, () -> "lost");
            }
            if (i == 1_500) {
                REDIS.restart();
                publisher.connected().block(WAIT);
                subscriber.connected().block(WAIT);
                resumedAt = i;
            }
            PublishResult r;
            while ((r = publisher.publish("seq", Integer.toString(i))) == PublishResult.BACK_PRESSURED) {
                Thread.onSpinWait();
            }
            if (r == PublishResult.SENT) {
                sent.add(i);
            } else {
                assertThat(r).as("publish %d", i).isEqualTo(PublishResult.DISCONNECTED);
            }
        }
        Await.until(WAIT, () -> !received.isEmpty() && received.get(received.size() - 1) == 2_999,
                () -> "the last message");
        assertThat(sent).as("nothing queued while down").doesNotContain(1_000, 1_499);
        assertThat(received).as("in order, no duplicate").isSorted().doesNotHaveDuplicates();
        assertThat(sent).containsAll(received);
        int from = resumedAt;
        assertThat(received).as("everything sent after the restart")
                .containsAll(sent.stream().filter(i -> i >= from).toList());
        assertThat(received.subList(0, 1_000)).as("everything before the kill")
                .isEqualTo(java.util.stream.IntStream.range(0, 1_000).boxed().toList());
    }

    @Test
    void aStreamBackedTopicLosesNothingWhileItsHubIsDisconnected() {
        RedisHub publisher = hub(REDIS.uri(), FAST_RETRY.namespace("f2:"));
        // named connections, so that the test can kill exactly this hub's
        RedisHub subscriber = hub(REDIS.uri() + "?clientName=victim", FAST_RETRY.namespace("f2:"));
        Key key = Key.parse("orders");
        cleanup.add(publisher.declare(key, TopicOptions.defaults().replay(100_000)));
        cleanup.add(subscriber.declare(key, TopicOptions.defaults().replay(100_000)));
        List<Integer> received = new CopyOnWriteArrayList<>();
        cleanup.add(subscriber.<String>subscribe(key, SubscribeOptions.defaults().bufferSize(100_000))
                .subscribe(m -> received.add(Integer.parseInt(m.payload()))));
        Await.until(WAIT, () -> subscriber.subscriberCount(key) == 1, () -> "live");
        // the statuses, not the current one: killing its first connection makes the hub drop the others and
        // reconnect (20 ms back-off), possibly before the test thread would look
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        cleanup.add(subscriber.status().subscribe(statuses::add));
        int total = 3_000;
        boolean killed = false;
        for (int i = 0; i < total; i++) {
            while (publisher.publish(key, Integer.toString(i)) == PublishResult.BACK_PRESSURED) {
                Thread.onSpinWait();
            }
            if (i == 1_000) {
                String ids = REDIS.cli("CLIENT", "LIST").lines().filter(l -> l.contains(" name=victim "))
                        .map(l -> l.substring(3, l.indexOf(' '))).reduce((a, b) -> a + " " + b).orElseThrow();
                for (String id : ids.split(" ")) {
                    REDIS.cli("CLIENT", "KILL", "ID", id);
                }
                killed = true;
                Await.until(WAIT, () -> statuses.contains(ConnectionStatus.DISCONNECTED), () -> "lost, " + statuses);
            }
            if (i == 2_000) {
                subscriber.connected().block(WAIT); // published while it was disconnected: 1001..~2000
            }
        }
        assertThat(killed).isTrue();
        Await.until(WAIT, () -> received.size() >= total, () -> "all received, " + received.size() + " so far");
        assertThat(received).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
        }
    }

    @Test
    void aSubscriberStalledUnderAMillionMessagesHoldsOnlyItsBufferAndNobodyIsDisconnected() throws Exception {
        RedisHub hub = hub(REDIS.uri(), RedisHubOptions.defaults().namespace("f3:"));
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        cleanup.add(hub.status().subscribe(statuses::add));
        LongAdder dropped = new LongAdder();
        BaseSubscriber<Object> stalled = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // requests nothing, ever
            }
        };
        hub.subscribe(Key.parse("flood"), SubscribeOptions.defaults().bufferSize(1_024)
                .overflow(Overflow.DROP_OLDEST).onDrop(m -> dropped.increment())).subscribe(stalled);
        cleanup.add(stalled);
        AtomicLong fast = new AtomicLong();
        AtomicLong lastSeen = new AtomicLong(-1);
        AtomicLong outOfOrder = new AtomicLong();
        cleanup.add(hub.<String>subscribe(Key.parse("flood"), SubscribeOptions.defaults().bufferSize(1 << 16))
                .subscribe(m -> {
                    long n = Long.parseLong(m.payload());
                    if (n != lastSeen.get() + 1) {
                        outOfOrder.incrementAndGet();
                    }
                    lastSeen.set(n);
                    fast.incrementAndGet();
                }));
        Await.until(WAIT, () -> hub.subscriberCount(Key.parse("flood")) == 2, () -> "subscribed");
        long before = usedHeapAfterGc();

        int total = 1_000_000;
        // published by a raw pipelined Lettuce connection, as fast as Redis takes them
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            raw.setAutoFlushCommands(false);
            RedisAsyncCommands<byte[], byte[]> async = raw.async();
            byte[] channel = "f3:flood".getBytes(StandardCharsets.UTF_8);
            List<io.lettuce.core.RedisFuture<Long>> batch = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                batch.add(async.publish(channel, Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
                if (batch.size() == 10_000) {
                    raw.flushCommands();
                    batch.get(batch.size() - 1).get(30, TimeUnit.SECONDS);
                    batch.clear();
                }
            }
            raw.flushCommands();
            if (!batch.isEmpty()) {
                batch.get(batch.size() - 1).get(30, TimeUnit.SECONDS);
            }
        } finally {
            client.shutdown();
        }
        Await.until(Duration.ofSeconds(60), () -> fast.get() == total, () -> "fast subscriber got " + fast.get());
        assertThat(outOfOrder.get()).isZero();
        assertThat(dropped.sum()).isEqualTo(total - 1_024);
        assertThat(statuses).containsExactly(ConnectionStatus.CONNECTED); // never disconnected
        String client1 = REDIS.cli("CLIENT", "LIST", "TYPE", "pubsub");
        assertThat(client1).contains("omem=0"); // Redis holds nothing for us: we read everything
        long grown = usedHeapAfterGc() - before;
        // a million messages held would take about 60 MB; the stalled subscriber holds 1,024 (tens of KB)
        assertThat(grown).as("heap growth over the flood, bytes").isLessThan(16L << 20);
        stalled.request(1_024);
    }

    private static long usedHeapAfterGc() {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void reconnectionWaitsItsBackOffInVirtualTime() throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        RedisHub hub = hub(REDIS.uri(), RedisHubOptions.defaults().namespace("f4:")
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0).scheduler(time));
        assertThat(hub.backoff(0, 0.3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(hub.backoff(2, 0.9)).isEqualTo(Duration.ofSeconds(4));
        assertThat(hub.backoff(10, 0.0)).isEqualTo(Duration.ofSeconds(8));
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        cleanup.add(hub.status().subscribe(statuses::add));

        REDIS.kill();
        Await.until(WAIT, () -> hub.currentStatus() == ConnectionStatus.DISCONNECTED, () -> "disconnected");
        REDIS.restart();
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.DISCONNECTED); // still waiting its second
        time.advanceTimeBy(Duration.ofMillis(1));
        hub.connected().block(WAIT);
        assertThat(statuses).containsExactly(ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED,
                ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED);
    }
}
