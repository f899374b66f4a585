package io.github.reactivepubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** {@link TakeUntilOther}: Reactor's {@code takeUntilOther} contract, and the race of an item with the other's end. */
class TakeUntilOtherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void theOthersCompletionCompletesTheStreamAndCancelsTheMainSource() {
        TestPublisher<String> main = TestPublisher.create();
        Sinks.Empty<Void> other = Sinks.empty();
        StepVerifier.create(TakeUntilOther.of(main.flux(), other.asMono()))
                .then(() -> main.next("a", "b"))
                .expectNext("a", "b")
                .then(other::tryEmitEmpty)
                .expectComplete()
                .verify(WAIT);
        main.assertCancelled();
    }

    @Test
    void theOthersErrorFailsTheStreamAndItsFirstItemCompletesIt() {
        TestPublisher<String> main = TestPublisher.create();
        StepVerifier.create(TakeUntilOther.of(main.flux(), Mono.error(new IllegalStateException("silent peer"))))
                .expectErrorMessage("silent peer")
                .verify(WAIT);
        main.assertCancelled();

        TestPublisher<String> second = TestPublisher.create();
        Sinks.One<String> signal = Sinks.one();
        StepVerifier.create(TakeUntilOther.of(second.flux(), signal.asMono()))
                .then(() -> second.next("a"))
                .expectNext("a")
                .then(() -> signal.tryEmitValue("stop"))
                .expectComplete()
                .verify(WAIT);
        second.assertCancelled();
    }

    @Test
    void theMainSourcesEndCancelsTheOtherSide() {
        TestPublisher<Object> other = TestPublisher.create();
        StepVerifier.create(TakeUntilOther.of(Flux.just("a", "b"), other.flux()))
                .expectNext("a", "b")
                .expectComplete()
                .verify(WAIT);
        other.assertCancelled();

        TestPublisher<Object> watching = TestPublisher.create();
        StepVerifier.create(TakeUntilOther.of(Flux.error(new IllegalStateException("boom")), watching.flux()))
                .expectErrorMessage("boom")
                .verify(WAIT);
        watching.assertCancelled();
    }

    @Test
    void theOtherSideIsSubscribedBeforeTheMainSourceAndRequestsMadeMeanwhileReachIt() {
        List<String> order = new CopyOnWriteArrayList<>();
        Mono<Void> other = Mono.<Void>never().doOnSubscribe(s -> order.add("other"));
        Flux<String> main = Flux.just("a").doOnSubscribe(s -> order.add("main"));
        StepVerifier.create(TakeUntilOther.of(main, other))
                .expectNext("a")
                .expectComplete()
                .verify(WAIT);
        assertThat(order).containsExactly("other", "main");
    }

    @Test
    void anEndBeforeTheMainSourceSubscribedStillComesAfterOnSubscribe() {
        TestPublisher<String> main = TestPublisher.create();
        StepVerifier.create(TakeUntilOther.of(main.flux(), Mono.empty()))
                .expectSubscription()
                .expectComplete()
                .verify(WAIT);
        main.assertCancelled();
    }

    @Test
    void cancellingCancelsBothSides() {
        TestPublisher<String> main = TestPublisher.create();
        TestPublisher<Object> other = TestPublisher.create();
        StepVerifier.create(TakeUntilOther.of(main.flux(), other.flux()))
                .then(() -> main.next("a"))
                .expectNext("a")
                .thenCancel()
                .verify(WAIT);
        main.assertCancelled();
        other.assertCancelled();
    }

    /**
     * Real threads, many times: the main source emits as fast as it can on one thread while the other side completes
     * on another. The subscriber sees a prefix of the items, in order, then exactly one completion, and nothing after
     * it; every item not relayed is discarded, none lost silently.
     */
    @Test
    void anItemRacingTheOthersEndIsRelayedBeforeTheEndOrDiscardedNeverAfter() {
        Scheduler ender = Schedulers.newSingle("ender");
        try {
            for (int round = 0; round < 200; round++) {
                Sinks.Empty<Void> other = Sinks.empty();
                AtomicInteger relayed = new AtomicInteger();
                AtomicInteger discarded = new AtomicInteger();
                AtomicReference<String> violation = new AtomicReference<>();
                AtomicBoolean ended = new AtomicBoolean();
                AtomicInteger terminals = new AtomicInteger();
                Flux<Integer> main = Flux.range(0, 1_000_000).subscribeOn(Schedulers.boundedElastic());
                TakeUntilOther.of(main, other.asMono())
                        .doOnDiscard(Integer.class, x -> discarded.incrementAndGet())
                        .subscribe(new BaseSubscriber<Integer>() {
                            @Override
                            protected void hookOnNext(Integer value) {
                                if (ended.get()) {
                                    violation.compareAndSet(null, "item " + value + " after the end");
                                }
                                if (value != relayed.getAndIncrement()) {
                                    violation.compareAndSet(null, "item " + value + " out of order");
                                }
                            }

                            @Override
                            protected void hookOnComplete() {
                                ended.set(true);
                                terminals.incrementAndGet();
                            }

                            @Override
                            protected void hookOnError(Throwable error) {
                                terminals.incrementAndGet();
                                violation.compareAndSet(null, "error " + error);
                            }
                        });
                long spin = round * 2_000L;
                ender.schedule(() -> {
                    for (long i = 0; i < spin; i++) {
                        Thread.onSpinWait();
                    }
                    other.tryEmitEmpty();
                });
                int r = round;
                Await.until(WAIT, () -> terminals.get() > 0, () -> "round " + r + " ended");
                assertThat(violation.get()).as("round %d", round).isNull();
                assertThat(terminals.get()).as("round %d: one terminal signal", round).isEqualTo(1);
                assertThat(relayed.get() + discarded.get()).as("round %d: relayed + discarded", round)
                        .isLessThanOrEqualTo(1_000_000);
            }
        } finally {
            ender.dispose();
        }
    }
}
