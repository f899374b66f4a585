package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.SubscribeOptions;
import reactor.core.publisher.Flux;

/** {@link DatagramsTck} for {@link MmapSubscriber#datagrams()}: the default buffer, delivery on the poller. */
public class DatagramsTckTest extends DatagramsTck {

    @Override
    Flux<Datagram> datagrams(MmapSubscriber subscriber) {
        return subscriber.datagrams();
    }

    /** What the default per-subscriber buffer holds while the TCK's demand lags behind the poller. */
    @Override
    public long maxElementsFromPublisher() {
        return SubscribeOptions.DEFAULT_BUFFER_SIZE;
    }
}
