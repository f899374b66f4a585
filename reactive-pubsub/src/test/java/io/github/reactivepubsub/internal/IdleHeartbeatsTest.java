package io.github.reactivepubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The heartbeat operator's demand rules ({@link IdleHeartbeats}), in virtual time, and one race on real threads.
 * The timing rules themselves are {@code IdleTimerTest}'s; the Reactive Streams rules {@code IdleHeartbeatsTckTest}'s.
 */
class IdleHeartbeatsTest {

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();

    @AfterEach
    void tearDown() {
        vts.dispose();
    }

    private Flux<String> beating(Flux<String> source) {
        return IdleTimer.withIdleHeartbeats(source, "H", Duration.ofSeconds(1), vts);
    }

    @Test
    void aHeartbeatTakesDemandAndTheSourceIsAskedForTheSubscribersDemandLessTheHeartbeats() {
        TestPublisher<String> source = TestPublisher.create();
        StepVerifier.create(beating(source.flux()), 2)
                .then(() -> source.assertMinRequested(2).assertMaxRequested(2))
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext("H")
                // the source still holds the two units it was granted; the subscriber wants one more
                .then(() -> source.next("a", "b"))
                .expectNext("a")
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1) // "b" takes it: the source is asked for nothing more
                .expectNext("b")
                .then(() -> source.assertMaxRequested(0))
                .thenRequest(3)
                .then(() -> source.assertMinRequested(3).assertMaxRequested(3))
                .then(() -> source.next("c"))
                .expectNext("c")
                .then(source::complete)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aHeartbeatWithoutDemandIsDroppedNotKept() {
        TestPublisher<String> source = TestPublisher.create();
        StepVerifier.create(beating(source.flux()), 0)
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(5)))
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext("H")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        source.assertCancelled();
    }

    @Test
    void completionWaitsForItemsThatWaitForDemandAndAnErrorDoesNot() {
        TestPublisher<String> source = TestPublisher.create();
        StepVerifier.create(beating(source.flux()), 1)
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext("H")
                .then(() -> source.next("a").complete()) // on the unit the heartbeat took: waits
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNext("a")
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        TestPublisher<String> failing = TestPublisher.create();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        StepVerifier.create(beating(failing.flux()).doOnDiscard(String.class, discarded::add), 1)
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext("H")
                .then(() -> failing.next("a").error(new IllegalStateException("boom")))
                .expectErrorMessage("boom")
                .verify(Duration.ofSeconds(5));
        assertThat(discarded).containsExactly("a");
    }

    @Test
    void cancellingDiscardsWhatWaitsAndStopsTheHeartbeats() {
        TestPublisher<String> source = TestPublisher.create();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        StepVerifier.create(beating(source.flux()).doOnDiscard(String.class, discarded::add), 1)
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(1)))
                .expectNext("H")
                .then(() -> source.next("a"))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(discarded).containsExactly("a");
        source.assertCancelled();
        vts.advanceTimeBy(Duration.ofSeconds(10)); // no timer left to fire
    }

    @Test
    void unboundedDemandPassesStraightToTheSource() {
        StepVerifier.create(beating(Flux.range(0, 10_000).map(String::valueOf)))
                .expectNextCount(10_000)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    /**
     * Real threads: the source emits on its own thread and pauses now and then, the subscriber requests in small
     * batches from a third one (after a pause now and then: heartbeats due then are dropped), and heartbeats come
     * every millisecond from the timer's thread when the stream idles with demand. Every item arrives once, in
     * order; no signal ever exceeds the subscriber's demand; heartbeats happen.
     */
    @Test
    void itemsHeartbeatsAndRequestsFromThreeThreadsNeverExceedDemandNorLoseAnItem() throws Exception {
        int items = 20_000;
        Scheduler requester = Schedulers.newSingle("requester");
        try {
            // a pause of 3 ms every 500 items: idle with demand outstanding, so heartbeats go out meanwhile
            Flux<String> source = Flux.range(0, items)
                    .concatMap(i -> i % 500 == 499 ? Mono.just(i).delayElement(Duration.ofMillis(3)) : Mono.just(i))
                    .map(String::valueOf)
                    .publishOn(Schedulers.boundedElastic(), 8);
            AtomicLong requested = new AtomicLong();
            AtomicLong signals = new AtomicLong();
            AtomicReference<String> violation = new AtomicReference<>();
            List<String> received = new ArrayList<>(items);
            AtomicLong beats = new AtomicLong();
            AtomicReference<Throwable> terminal = new AtomicReference<>();
            IdleTimer.withIdleHeartbeats(source, "H", Duration.ofMillis(1), Schedulers.parallel())
                    .subscribe(new BaseSubscriber<String>() {
                        @Override
                        protected void hookOnSubscribe(Subscription subscription) {
                            ask(4);
                        }

                        @Override
                        protected void hookOnNext(String value) {
                            if (signals.incrementAndGet() > requested.get()) {
                                violation.compareAndSet(null, "signal " + signals.get() + " beyond demand "
                                        + requested.get());
                            }
                            if (value.equals("H")) {
                                beats.incrementAndGet();
                            } else {
                                received.add(value);
                            }
                            if (signals.get() == requested.get()) {
                                // every 64th batch after a pause long enough for heartbeats, else at once
                                long delay = signals.get() % 256 == 0 ? 3 : 0;
                                requester.schedule(() -> ask(4), delay, TimeUnit.MILLISECONDS);
                            }
                        }

                        private void ask(long n) {
                            requested.addAndGet(n);
                            request(n);
                        }

                        @Override
                        protected void hookOnComplete() {
                            terminal.set(new RuntimeException("completed"));
                        }

                        @Override
                        protected void hookOnError(Throwable error) {
                            terminal.set(error);
                        }
                    });
            Await.until(Duration.ofSeconds(60), () -> terminal.get() != null, () -> "completion after "
                    + received.size() + " items, " + beats.get() + " heartbeats");
            assertThat(terminal.get()).hasMessage("completed");
            assertThat(violation.get()).isNull();
            assertThat(received).hasSize(items);
            for (int i = 0; i < items; i++) {
                assertThat(received.get(i)).isEqualTo(String.valueOf(i));
            }
            assertThat(beats.get()).as("heartbeats while the source paused").isPositive();
        } finally {
            requester.dispose();
        }
    }
}
