package io.github.reactivepubsub.internal;

import io.github.reactivepubsub.TckVerification;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams TCK against {@link IdleTimer#withIdleHeartbeats} (TestNG, on the JUnit Platform): the source
 * emits from inside {@code request} (the direct path of the operator); the interval is an hour, so the elements are
 * the source's alone. Heartbeats under bounded demand are {@code IdleHeartbeatsTest}'s.
 */
public class IdleHeartbeatsTckTest extends TckVerification<Long> {

    private static final Duration NEVER = Duration.ofHours(1);

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return IdleTimer.withIdleHeartbeats(Flux.range(0, (int) elements).map(Integer::longValue), -1L, NEVER,
                Schedulers.parallel());
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return IdleTimer.withIdleHeartbeats(Flux.error(new IllegalStateException("failed source")), -1L, NEVER,
                Schedulers.parallel());
    }
}
