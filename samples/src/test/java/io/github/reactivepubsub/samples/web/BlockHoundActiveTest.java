package io.github.reactivepubsub.samples.web;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * This module runs its tests on JUnit 6 (Spring's), unlike the libraries: BlockHound's JUnit Platform listener must
 * still install it, or the app's tests would not catch blocking on Netty event loops and Reactor threads.
 */
class BlockHoundActiveTest {

    @Test
    void blockingOnANonBlockingThreadFails() {
        StepVerifier.create(Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                }).subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }
}
