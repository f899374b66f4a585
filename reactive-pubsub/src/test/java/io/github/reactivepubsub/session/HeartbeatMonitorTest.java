package io.github.reactivepubsub.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Every test runs on a {@link VirtualTimeScheduler}: trip times are exact, nothing waits. */
class HeartbeatMonitorTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Long> trips = new ArrayList<>();

    @AfterEach
    void disposeTime() {
        time.dispose();
    }

    private HeartbeatMonitor start(int toleratedMisses, boolean stopWhenNoActivity) {
        return HeartbeatMonitor.start(INTERVAL, toleratedMisses, stopWhenNoActivity, time, this::recordTrip);
    }

    private Mono<Void> recordTrip() {
        return Mono.fromRunnable(() -> trips.add(time.now(TimeUnit.MILLISECONDS)));
    }

    private void advanceTo(long millis) {
        time.advanceTimeTo(java.time.Instant.ofEpochMilli(millis));
    }

    @ParameterizedTest(name = "tolerate {0} -> first trip at {1} ms")
    @CsvSource({"1, 200", "3, 400", "0, 200", "2, 300"})
    void withoutPingsTripsOnceAtExactlyNPlusOneIntervalsAndStops(int toleratedMisses, long tripAt) {
        HeartbeatMonitor monitor = start(toleratedMisses, true);

        advanceTo(tripAt - 1);
        assertThat(trips).as("no trip before %d ms", tripAt).isEmpty();
        assertThat(monitor.isRunning()).isTrue();

        advanceTo(tripAt);
        assertThat(trips).containsExactly(tripAt);
        assertThat(monitor.isRunning()).isFalse();

        advanceTo(5_000);
        assertThat(trips).as("a stopping monitor trips once").containsExactly(tripAt);
    }

    @Test
    void pingsForFiveIntervalsThenSilenceTripsInTheWindowAfterTheLastPing() {
        HeartbeatMonitor monitor = start(1, true);
        for (long t = 50; t <= 450; t += 100) {
            advanceTo(t);
            monitor.ping(); // last ping at p = 450 ms
        }
        advanceTo(549);
        assertThat(trips).isEmpty();

        advanceTo(2_000);
        assertThat(trips).hasSize(1);
        assertThat(trips.get(0)).as("trip in [p + N x interval, p + (N + 1) x interval) = [550, 650)")
                .isGreaterThanOrEqualTo(550).isLessThan(650).isEqualTo(600);
        assertThat(trips.get(0)).as("at least five intervals after start").isGreaterThanOrEqualTo(500);
    }

    @Test
    void steadyPingsNeverTrip() {
        HeartbeatMonitor monitor = start(1, true);
        for (long t = 0; t <= 10_000; t += 90) {
            advanceTo(t);
            monitor.ping();
        }
        assertThat(trips).isEmpty();
        assertThat(monitor.isRunning()).isTrue();
        monitor.stop();
    }

    @Test
    void nonStoppingMonitorTripsAtEveryIdleCheckUntilAPing() {
        HeartbeatMonitor monitor = start(1, false);

        advanceTo(400);
        assertThat(trips).as("missed count is not reset by a trip").containsExactly(200L, 300L, 400L);

        advanceTo(450);
        monitor.ping();
        advanceTo(500);
        assertThat(trips).as("the ping makes the 500 ms check pass").containsExactly(200L, 300L, 400L);

        advanceTo(600);
        assertThat(trips).containsExactly(200L, 300L, 400L, 600L);
        assertThat(monitor.isRunning()).isTrue();
        monitor.stop();
        advanceTo(1_000);
        assertThat(trips).hasSize(4);
    }

    @ParameterizedTest(name = "stopWhenNoActivity={0}")
    @ValueSource(booleans = {true, false})
    void stopFromInsideTheHandlerEndsTheMonitor(boolean stopWhenNoActivity) {
        AtomicReference<HeartbeatMonitor> self = new AtomicReference<>();
        HeartbeatMonitor monitor = HeartbeatMonitor.start(INTERVAL, 1, stopWhenNoActivity, time, () -> {
            trips.add(time.now(TimeUnit.MILLISECONDS));
            self.get().stop();
            self.get().stop(); // idempotent
            return Mono.empty();
        });
        self.set(monitor);

        advanceTo(1_000);

        assertThat(trips).containsExactly(200L);
        assertThat(monitor.isRunning()).isFalse();
    }

    @Test
    void nextCheckIsScheduledOnlyAfterTheHandlerCompleted() {
        HeartbeatMonitor monitor = HeartbeatMonitor.start(INTERVAL, 1, false, time, () -> {
            trips.add(time.now(TimeUnit.MILLISECONDS));
            return Mono.delay(Duration.ofMillis(50), time).then();
        });

        advanceTo(600);

        assertThat(trips).as("each handler takes 50 ms, so checks run 150 ms apart")
                .containsExactly(200L, 350L, 500L);
        monitor.stop();
    }

    @Test
    void failingHandlerCountsAsCompleted() {
        HeartbeatMonitor monitor = HeartbeatMonitor.start(INTERVAL, 1, false, time, () -> {
            trips.add(time.now(TimeUnit.MILLISECONDS));
            return Mono.error(new IllegalStateException("handler failure for the test"));
        });

        advanceTo(300);

        assertThat(trips).containsExactly(200L, 300L);
        monitor.stop();
    }

    @Test
    void stopBeforeTheFirstCheckPreventsEveryTrip() {
        HeartbeatMonitor monitor = start(1, true);
        monitor.stop();
        monitor.stop();

        advanceTo(1_000);

        assertThat(trips).isEmpty();
        assertThat(monitor.isRunning()).isFalse();
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThatThrownBy(() -> HeartbeatMonitor.start(Duration.ZERO, 1, true, time, Mono::empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interval must be positive, was PT0S");
        assertThatThrownBy(() -> HeartbeatMonitor.start(INTERVAL, -1, true, time, Mono::empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("toleratedMisses must be >= 0, was -1");
    }
}
