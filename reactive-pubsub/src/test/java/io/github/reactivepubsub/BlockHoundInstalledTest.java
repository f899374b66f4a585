package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves that every test of this module runs with BlockHound installed (blockhound-junit-platform). */
class BlockHoundInstalledTest {

    @Test
    void blockingCallOnParallelSchedulerIsRejected() {
        Mono<Integer> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(1); // the blocking call BlockHound must catch; it never actually waits
                    return 1;
                })
                .subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(BlockingOperationError.class)
                        .hasMessageContaining("java.lang.Thread.sleep"))
                .verify(Duration.ofSeconds(10));
    }
}
