package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.SubscribeOptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@link DatagramsTck} for {@link MmapSubscriber#datagrams(SubscribeOptions, reactor.core.scheduler.Scheduler)}:
 * delivery hops to {@code boundedElastic}, the buffer holds 4,096 datagrams.
 */
public class DatagramsOnSchedulerTckTest extends DatagramsTck {

    private static final int BUFFER = 4_096;

    @Override
    Flux<Datagram> datagrams(MmapSubscriber subscriber) {
        return subscriber.datagrams(SubscribeOptions.defaults().bufferSize(BUFFER), Schedulers.boundedElastic());
    }

    @Override
    public long maxElementsFromPublisher() {
        return BUFFER;
    }
}
