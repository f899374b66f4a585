package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * What only the in-process hub does, beyond {@link HubContract} (which {@code LocalHubContractTest} runs on it too):
 * exact {@code DELIVERED(n)} counts, aiopubsub's meta messages, the route cache, the logged line of a throwing
 * subscriber, and memory bounded under a stalled subscriber.
 */
class HubTest {

    private final Hub hub = Hub.create();

    @AfterEach
    void closeHub() {
        hub.close();
    }

    private static List<Integer> payloads(List<Message<Integer>> messages) {
        return messages.stream().map(Message::payload).toList();
    }

    @Nested
    class Routing {

        @Test
        void publishWithoutSubscribersReturnsNoSubscribers() {
            assertThat(hub.publish("a.b", 1)).isEqualTo(PublishResult.NO_SUBSCRIBERS);
        }

        @Test
        void everyMatchingTopicReceivesTheConcreteKey() {
            List<String> seen = new CopyOnWriteArrayList<>();
            for (String pattern : List.of("a.b.c", "a.*.c", "a.**", "**", "*.b", "a.b.c.**", "x.**")) {
                hub.subscribe(pattern).subscribe(m -> seen.add(pattern + " <- " + m.key()));
            }
            // '**' also saw the Hub.addedSubscriber.<pattern> meta messages of the later subscriptions
            assertThat(seen).containsExactly("** <- Hub.addedSubscriber.**", "** <- Hub.addedSubscriber.*.b",
                    "** <- Hub.addedSubscriber.a.b.c.**", "** <- Hub.addedSubscriber.x.**");
            seen.clear();
            assertThat(hub.publish("a.b.c", "m")).isEqualTo(PublishResult.delivered(5));
            assertThat(seen).containsExactlyInAnyOrder("a.b.c <- a.b.c", "a.*.c <- a.b.c", "a.** <- a.b.c",
                    "** <- a.b.c", "a.b.c.** <- a.b.c");
            seen.clear();
            assertThat(hub.publish("a.b", "m")).isEqualTo(PublishResult.delivered(3));
            assertThat(seen).containsExactlyInAnyOrder("a.** <- a.b", "** <- a.b", "*.b <- a.b");
        }

        @Test
        void routeCacheFollowsSubscriptionChanges() {
            List<Message<Integer>> seen = new CopyOnWriteArrayList<>();
            hub.<Integer>subscribe("a.b").subscribe(seen::add);
            hub.publish("a.b", 1);
            Disposable late = hub.<Integer>subscribe("a.*").subscribe(seen::add);
            assertThat(hub.publish("a.b", 2)).isEqualTo(PublishResult.delivered(2));
            late.dispose();
            assertThat(hub.publish("a.b", 3)).isEqualTo(PublishResult.delivered(1));
            assertThat(payloads(seen)).containsExactly(1, 2, 2, 3);
        }

        @Test
        void routeCacheDisabledStillRoutes() {
            try (Hub uncached = Hub.create(HubOptions.defaults().routeCacheSize(0))) {
                List<Message<Integer>> seen = new CopyOnWriteArrayList<>();
                uncached.<Integer>subscribe("a.*").subscribe(seen::add);
                uncached.publish("a.b", 1);
                uncached.publish("a.c", 2);
                assertThat(payloads(seen)).containsExactly(1, 2);
            }
        }
    }

    @Nested
    class Overflow_ {

        private Flux<Message<Integer>> stalled(int size, Overflow policy, List<Object> dropped) {
            return hub.subscribe(Key.parse("t.x"),
                    SubscribeOptions.defaults().bufferSize(size).overflow(policy).onDrop(dropped::add));
        }

        @Test
        void errorPolicyFailsOnlyTheStalledSubscriberNamingTopicAndSize() {
            List<Object> dropped = new ArrayList<>();
            List<Message<Integer>> fast = new ArrayList<>();
            hub.<Integer>subscribe("t.*").subscribe(fast::add);
            StepVerifier.create(stalled(4, Overflow.ERROR, dropped), 0)
                    .then(() -> {
                        for (int i = 1; i <= 5; i++) {
                            hub.publish("t.x", i);
                        }
                    })
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OverflowException.class)
                            .hasMessageContaining("'t.x'").hasMessageContaining("buffer of 4 messages")
                            .satisfies(o -> assertThat(((OverflowException) o).bufferSize()).isEqualTo(4)))
                    .verify(Duration.ofSeconds(5));
            assertThat(payloads(fast)).containsExactly(1, 2, 3, 4, 5);
            assertThat(dropped).extracting(m -> (Object) ((Message<?>) m).payload()).containsExactly((Object) 5);
            assertThat(hub.subscriberCount(Key.parse("t.x"))).isZero();
            assertThat(hub.publish("t.x", 6)).isEqualTo(PublishResult.delivered(1));
        }

        @Test
        void dropOldestKeepsTheNewestAndCountsTheRest() {
            List<Object> dropped = new ArrayList<>();
            StepVerifier.create(stalled(3, Overflow.DROP_OLDEST, dropped), 0)
                    .then(() -> {
                        for (int i = 1; i <= 10; i++) {
                            hub.publish("t.x", i);
                        }
                    })
                    .thenRequest(10)
                    .expectNextMatches(m -> m.payload() == 8)
                    .expectNextMatches(m -> m.payload() == 9)
                    .expectNextMatches(m -> m.payload() == 10)
                    .then(() -> hub.publish("t.x", 11))
                    .expectNextMatches(m -> m.payload() == 11)
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));
            assertThat(dropped).extracting(m -> (Object) ((Message<?>) m).payload()).containsExactly((Object[]) new Integer[] {1, 2, 3, 4, 5, 6, 7});
        }

        @Test
        void dropLatestKeepsTheOldestAndCountsTheRest() {
            List<Object> dropped = new ArrayList<>();
            StepVerifier.create(stalled(3, Overflow.DROP_LATEST, dropped), 0)
                    .then(() -> {
                        for (int i = 1; i <= 10; i++) {
                            hub.publish("t.x", i);
                        }
                    })
                    .thenRequest(3)
                    .expectNextMatches(m -> m.payload() == 1)
                    .expectNextMatches(m -> m.payload() == 2)
                    .expectNextMatches(m -> m.payload() == 3)
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));
            assertThat(dropped).extracting(m -> (Object) ((Message<?>) m).payload()).containsExactly((Object[]) new Integer[] {4, 5, 6, 7, 8, 9, 10});
        }

        @Test
        void stalledSubscriberHoldsAtMostItsBufferWhileTheFastOneGetsEverything() {
            // 2,500 messages of 1 MiB: 2.4 GiB in all, more than the test JVM's 2 GiB heap. Retaining them would fail
            // with OutOfMemoryError; the stalled subscriber may hold only its 100.
            int count = 2_500;
            int size = 100;
            AtomicInteger fastCount = new AtomicInteger();
            AtomicInteger droppedCount = new AtomicInteger();
            hub.<byte[]>subscribe("big.*").subscribe(m -> fastCount.incrementAndGet());
            AtomicReference<Subscription> stalledSubscription = new AtomicReference<>();
            hub.<byte[]>subscribe(Key.parse("big.x"), SubscribeOptions.defaults().bufferSize(size)
                            .overflow(Overflow.DROP_OLDEST).onDrop(m -> droppedCount.incrementAndGet()))
                    .subscribe(new BaseSubscriber<>() {
                        @Override
                        protected void hookOnSubscribe(Subscription subscription) {
                            stalledSubscription.set(subscription); // requests nothing
                        }
                    });
            for (int i = 0; i < count; i++) {
                assertThat(hub.publish("big.x", new byte[1 << 20])).isEqualTo(PublishResult.delivered(2));
            }
            assertThat(fastCount).hasValue(count);
            assertThat(droppedCount).hasValue(count - size);
            assertThat(Scannable.from(stalledSubscription.get()).scan(Scannable.Attr.BUFFERED)).isEqualTo(size);
        }
    }

    @Nested
    class Isolation {

        @Test
        void subscriberThrowingFromOnNextIsCancelledAloneAndTold() {
            List<Integer> others = new ArrayList<>();
            AtomicReference<Throwable> told = new AtomicReference<>();
            hub.<Integer>subscribe("t.x").subscribe(m -> others.add(m.payload()));
            hub.<Integer>subscribe("t.x").subscribe(new CoreSubscriber<>() {
                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Message<Integer> m) {
                    if (m.payload() == 2) {
                        throw new IllegalStateException("boom on 2");
                    }
                }

                @Override
                public void onError(Throwable t) {
                    told.set(t);
                }

                @Override
                public void onComplete() {
                }
            });
            assertThat(hub.subscriberCount(Key.parse("t.x"))).isEqualTo(2);
            TestLogger log = new TestLogger(false);
            LoggerUtils.enableCaptureWith(log);
            try {
                for (int i = 1; i <= 3; i++) {
                    hub.publish("t.x", i);
                }
            } finally {
                LoggerUtils.disableCapture();
            }
            assertThat(log.getErrContent())
                    .contains("subscriber of 't.x' threw from onNext; cancelling that subscriber alone");
            assertThat(others).containsExactly(1, 2, 3);
            assertThat(told.get()).hasMessage("boom on 2");
            assertThat(hub.subscriberCount(Key.parse("t.x"))).isEqualTo(1);
        }

        @Test
        void subscriberCancellingInsideOnSubscribeIsNeverCountedNorAnnounced() {
            List<HubEvent> events = new ArrayList<>();
            hub.events().subscribe(events::add);
            StepVerifier.create(hub.subscribe("t.x").take(0)).verifyComplete();
            StepVerifier.create(hub.subscribe("t.x"), 0).thenCancel().verify();
            assertThat(hub.subscriberCount(Key.parse("t.x"))).isZero();
            assertThat(hub.topics(Key.parse("**"))).isEmpty();
            assertThat(events).isEmpty();
            assertThat(hub.publish("t.x", 1)).isEqualTo(PublishResult.NO_SUBSCRIBERS);
        }
    }


    @Nested
    class Closing {

        @Test
        void closeCompletesSubscribersAfterTheirBufferAndRejectsPublishes() {
            StepVerifier.create(hub.<Integer>subscribe("t.x").map(Message::payload), 0)
                    .then(() -> {
                        hub.publish("t.x", 1);
                        hub.publish("t.x", 2);
                        hub.close();
                    })
                    .thenRequest(2)
                    .expectNext(1, 2)
                    .verifyComplete();
            assertThat(hub.publish("t.x", 3)).isEqualTo(PublishResult.CLOSED);
            assertThat(hub.isClosed()).isTrue();
            StepVerifier.create(hub.subscribe("t.x")).verifyComplete();
            StepVerifier.create(hub.events()).verifyComplete();
            assertThatThrownBy(() -> hub.declare(Key.parse("t.x"), TopicOptions.defaults()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }
}
