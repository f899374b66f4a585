package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.util.RaceTestUtils;

class HubConcurrencyTest {

    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 1_000_000;

    /** Checks, per publisher, that sequence numbers arrive consecutively; counts what arrived. */
    static final class OrderChecker {
        final String name;
        final long[] next = new long[PUBLISHERS];
        final int[] expectedPublishers;
        long received;
        final AtomicReference<String> violation = new AtomicReference<>();

        OrderChecker(String name, int... expectedPublishers) {
            this.name = name;
            this.expectedPublishers = expectedPublishers;
        }

        void accept(Message<Long> m) { // serialized per subscriber by Reactive Streams rule 1.3
            long v = m.payload();
            int p = (int) (v >>> 32);
            long seq = v & 0xFFFF_FFFFL;
            if (seq != next[p] && violation.get() == null) {
                violation.set(name + ": publisher " + p + " sent " + seq + " but " + next[p] + " was expected");
            }
            next[p] = seq + 1;
            received++;
        }

        void assertComplete() {
            assertThat(violation.get()).as("order violation").isNull();
            assertThat(received).as(name + " received").isEqualTo((long) expectedPublishers.length * PER_PUBLISHER);
            for (int p : expectedPublishers) {
                assertThat(next[p]).as(name + " last of publisher " + p).isEqualTo(PER_PUBLISHER);
            }
        }
    }

    @Test
    @Timeout(120)
    void fourPublishersIntoOverlappingTopicsLoseNothingAndKeepPerPublisherOrder() throws Exception {
        Scheduler consumer = Schedulers.newSingle("slow-consumer");
        try (Hub hub = Hub.create()) {
            SubscribeOptions large = SubscribeOptions.defaults().bufferSize(PUBLISHERS * PER_PUBLISHER);
            List<OrderChecker> checkers = new ArrayList<>();
            List<Disposable> subscriptions = new ArrayList<>();
            CountDownLatch asyncDone = new CountDownLatch(1);

            OrderChecker all = new OrderChecker("feed.**", 0, 1, 2, 3);
            OrderChecker anyPublisher = new OrderChecker("feed.*.tick", 0, 1, 2, 3);
            OrderChecker exact = new OrderChecker("feed.p1.tick", 1);
            OrderChecker evenOnOtherThread = new OrderChecker("feed.p2.* (publishOn)", 2);
            checkers.addAll(List.of(all, anyPublisher, exact, evenOnOtherThread));
            subscriptions.add(hub.<Long>subscribe(Key.parse("feed.**"), large).subscribe(all::accept));
            subscriptions.add(hub.<Long>subscribe(Key.parse("feed.*.tick"), large).subscribe(anyPublisher::accept));
            subscriptions.add(hub.<Long>subscribe(Key.parse("feed.p1.tick"), large).subscribe(exact::accept));
            Flux<Message<Long>> slow = hub.<Long>subscribe(Key.parse("feed.p2.*"), large).publishOn(consumer);
            subscriptions.add(slow.take(PER_PUBLISHER).subscribe(evenOnOtherThread::accept, e -> { }, asyncDone::countDown));

            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger notDelivered = new AtomicInteger();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                Key key = Key.parse("feed.p" + p + ".tick");
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    long base = (long) publisher << 32;
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                        if (!hub.publish(key, base | i).isDelivered()) {
                            notDelivered.incrementAndGet();
                        }
                    }
                }, "publisher-" + p);
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(100).toMillis());
                assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
            }
            assertThat(asyncDone.await(60, TimeUnit.SECONDS)).as("publishOn subscriber finished").isTrue();
            assertThat(notDelivered).hasValue(0);
            for (OrderChecker checker : checkers) {
                checker.assertComplete();
            }
            subscriptions.forEach(Disposable::dispose);
        } finally {
            consumer.dispose();
        }
    }

    @Test
    @Timeout(60)
    void subscribeAndUnsubscribeRacingWithPublishesLeaveNoRoutingEntry() {
        LocalHub hub = (LocalHub) Hub.create();
        try {
            Key[] patterns = {Key.parse("a.b"), Key.parse("a.*"), Key.parse("a.**"), Key.parse("*.b")};
            Key published = Key.parse("a.b");
            for (int round = 0; round < 20_000; round++) {
                Key pattern = patterns[round % patterns.length];
                Key otherPattern = patterns[(round + 1) % patterns.length];
                AtomicReference<Disposable> sub = new AtomicReference<>();
                RaceTestUtils.race(
                        () -> sub.set(hub.subscribe(pattern).subscribe()),
                        () -> hub.publish(published, "x"),
                        () -> {
                            Disposable other = hub.subscribe(otherPattern).subscribe();
                            hub.publish(published, "y");
                            other.dispose();
                        });
                RaceTestUtils.race(() -> sub.get().dispose(), () -> hub.publish(published, "z"));
            }
            assertThat(hub.topics(Key.parse("**"))).isEmpty();
            for (Key pattern : patterns) {
                assertThat(hub.subscriberCount(pattern)).isZero();
            }
            assertThat(hub.publish(published, "after")).isEqualTo(PublishResult.NO_SUBSCRIBERS);
            assertThat(hub.routingEmpty()).as("trie and topic index empty").isTrue();
            assertThat(hub.cachedRoutes()).as("route cache entries").isZero();
        } finally {
            hub.close();
        }
    }

    @Test
    @Timeout(60)
    void closeRacingWithPublishesCompletesEverySubscriber() {
        for (int round = 0; round < 2_000; round++) {
            Hub hub = Hub.create();
            AtomicInteger completed = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                hub.subscribe("a.*").subscribe(m -> { }, e -> { }, completed::incrementAndGet);
            }
            RaceTestUtils.race(hub::close, () -> hub.publish("a.b", 1), () -> hub.publish("a.c", 2));
            assertThat(completed).hasValue(3);
            assertThat(hub.publish("a.b", 3)).isEqualTo(PublishResult.CLOSED);
        }
    }
}
