package io.github.reactivepubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reconnection delays of the remote and Redis hubs, as a pure function of the failures and a random value. */
class BackoffTest {

    @Test
    void backoffDoublesFromMinToMaxWithinTheJitterBounds() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0.5);
        assertThat(backoff.delay(0, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(2, 0.0)).isEqualTo(Duration.ofSeconds(2)); // 4 s × 0.5
        assertThat(backoff.delay(2, 0.999_999)).isBetween(Duration.ofMillis(5_999), Duration.ofSeconds(6));
        assertThat(backoff.delay(3, 0.999_999)).isEqualTo(Duration.ofSeconds(8)); // 12 s capped at max
        assertThat(backoff.delay(0, 0.0)).isEqualTo(Duration.ofSeconds(1)); // 0.5 s raised to min
        assertThat(backoff.delay(80, 0.5)).isEqualTo(Duration.ofSeconds(8)); // no overflow after many failures
    }

    @Test
    void boundsOutOfRangeAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter must be between 0 and 1");
    }
}
