package io.github.reactivepubsub.tcp.soup;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

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
}
