package io.github.reactivepubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The idle-time primitive, in virtual time: exact limits, both modes, the hold condition, the Flux helpers. */
class IdleTimerTest {

    private VirtualTimeScheduler vts;
    private final Sinks.Many<String> source = Sinks.many().unicast().onBackpressureBuffer();

    @BeforeEach
    void setUp() {
        vts = VirtualTimeScheduler.create();
    }

    @AfterEach
    void tearDown() {
        vts.dispose();
    }

    @Test
    void heartbeatExactlyAfterEachIdleInterval() {
        StepVerifier.create(IdleTimer.withIdleHeartbeats(source.asFlux(), "H", Duration.ofSeconds(1), vts))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectNext("H")
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectNext("H")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void everyItemRestartsTheIdleInterval() {
        StepVerifier.create(IdleTimer.withIdleHeartbeats(source.asFlux(), "H", Duration.ofSeconds(1), vts))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(700)))
                .then(() -> source.tryEmitNext("a"))
                .expectNext("a")
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(700)))
                .then(() -> source.tryEmitNext("b"))
                .expectNext("b")
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectNext("H")
                .then(() -> source.tryEmitComplete())
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void heartbeatsStopWhenTheSourceCompletes() {
        StepVerifier.create(IdleTimer.withIdleHeartbeats(source.asFlux(), "H", Duration.ofSeconds(1), vts))
                .then(() -> source.tryEmitComplete())
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        vts.advanceTimeBy(Duration.ofSeconds(10));
    }

    @Test
    void silenceFailsExactlyAtTheTimeout() {
        StepVerifier.create(IdleTimer.failOnSilence(source.asFlux(), f -> f, Duration.ofSeconds(15),
                        Duration.ofSeconds(15), vts, () -> new TimeoutException("silent")))
                .then(() -> vts.advanceTimeBy(Duration.ofSeconds(10)))
                .then(() -> source.tryEmitNext("a"))
                .expectNext("a")
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(14_999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectErrorMessage("silent")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void firstItemHasItsOwnTimeoutAndItemsDroppedByProcessingStillCount() {
        StepVerifier.create(IdleTimer.failOnSilence(source.asFlux(), f -> f.filter(x -> !x.equals("beat")),
                        Duration.ofSeconds(3), Duration.ofSeconds(15), vts, () -> new TimeoutException("silent")))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(2_999)))
                .then(() -> source.tryEmitNext("beat"))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(14_999)))
                .then(() -> source.tryEmitNext("beat"))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(14_999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectErrorMessage("silent")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void noFirstItemFailsAtTheFirstTimeout() {
        StepVerifier.create(IdleTimer.failOnSilence(source.asFlux(), f -> f, Duration.ofSeconds(3),
                        Duration.ofSeconds(15), vts, () -> new TimeoutException("no first")))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(2_999)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectErrorMessage("no first")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void silenceTimerStopsWithTheSource() {
        StepVerifier.create(IdleTimer.failOnSilence(source.asFlux(), f -> f, Duration.ofSeconds(15),
                        Duration.ofSeconds(15), vts, () -> new TimeoutException("silent")))
                .then(() -> source.tryEmitNext("a"))
                .expectNext("a")
                .then(() -> source.tryEmitComplete())
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        vts.advanceTimeBy(Duration.ofSeconds(30));
    }

    @Test
    void onceRunsTheActionExactlyAtTheLimitAfterTheLastTouchThenStops() {
        List<Long> fired = new ArrayList<>();
        IdleTimer timer = IdleTimer.builder(Duration.ofMillis(100), vts).first(Duration.ofMillis(300))
                .start(() -> fired.add(vts.now(TimeUnit.MILLISECONDS)));

        vts.advanceTimeBy(Duration.ofMillis(299));
        timer.touch(); // from now on the limit is 100 ms
        vts.advanceTimeBy(Duration.ofMillis(99));
        assertThat(fired).isEmpty();
        vts.advanceTimeBy(Duration.ofMillis(1));

        assertThat(fired).containsExactly(399L);
        assertThat(timer.isDisposed()).isTrue();
        vts.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(fired).hasSize(1);
    }

    @Test
    void repeatRunsAfterEveryIdlePeriodWithoutATouch() {
        List<Long> fired = new ArrayList<>();
        IdleTimer timer = IdleTimer.builder(Duration.ofMillis(100), vts).mode(IdleTimer.Mode.REPEAT)
                .start(() -> fired.add(vts.now(TimeUnit.MILLISECONDS)));

        vts.advanceTimeBy(Duration.ofMillis(250));
        timer.touch();
        vts.advanceTimeBy(Duration.ofMillis(250));

        assertThat(fired).containsExactly(100L, 200L, 350L, 450L);
        assertThat(timer.isDisposed()).isFalse();
        timer.dispose();
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(fired).hasSize(4);
    }

    @Test
    void timeWhileTheHoldConditionIsTrueCountsAsActivity() {
        AtomicBoolean paused = new AtomicBoolean(true);
        List<Long> fired = new ArrayList<>();
        IdleTimer.builder(Duration.ofMillis(100), vts).holdWhile(paused::get)
                .start(() -> fired.add(vts.now(TimeUnit.MILLISECONDS)));

        vts.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(fired).as("held for 10 s").isEmpty();
        paused.set(false); // the last check while held was at 10 s: idle counts from there
        vts.advanceTimeBy(Duration.ofMillis(100));

        assertThat(fired).containsExactly(10_100L);
    }

    @Test
    void disposedBeforeTheLimitNeverRunsAndNonPositiveLimitsAreRefused() {
        List<Long> fired = new ArrayList<>();
        IdleTimer timer = IdleTimer.builder(Duration.ofMillis(100), vts).start(() -> fired.add(1L));
        timer.dispose();
        vts.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(fired).isEmpty();
        assertThatThrownBy(() -> IdleTimer.builder(Duration.ZERO, vts))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idle time must be positive, was PT0S");
        assertThatThrownBy(() -> IdleTimer.builder(Duration.ofSeconds(1), vts).first(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("first time must be positive, was PT-0.001S");
    }
}
