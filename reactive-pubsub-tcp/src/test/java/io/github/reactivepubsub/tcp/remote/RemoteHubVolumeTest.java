package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Many messages at once through a broker, from one remote hub to another, with the publisher always ahead of the
 * subscriber: every message arrives, in order, with the sockets' buffers full much of the time (frames batched into
 * shared buffers, sends waiting for room).
 */
class RemoteHubVolumeTest {

    private static final int MESSAGES = 500_000;
    private static final int WINDOW = 32_768;
    private static final Key KEY = Key.parse("volume.k");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyMessageArrivesInOrderWhileThePublisherRunsAhead() {
        Hub brokerHub = Hub.create();
        // room at the broker for every message in the window, by count and by bytes: nothing may overflow
        PubSubServer server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults()
                .maxBufferBytes(64L << 20).maxConnectionBufferBytes(64L << 20), "127.0.0.1", 0).block(WAIT);
        try (RemoteHub publisher = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                        RemoteHubOptions.defaults());
                RemoteHub subscriber = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(),
                        RemoteHubOptions.defaults())) {
            publisher.connected().block(WAIT);
            subscriber.connected().block(WAIT);
            AtomicLong received = new AtomicLong();
            AtomicLong outOfOrder = new AtomicLong();
            Disposable subscription = subscriber.<String>subscribe(KEY, SubscribeOptions.defaults().bufferSize(65_536))
                    .subscribe(m -> {
                        if (Long.parseLong(m.payload().substring(0, 12).trim()) != received.getAndIncrement()) {
                            outOfOrder.incrementAndGet();
                        }
                    });
            Await.until(WAIT, () -> brokerHub.subscriberCount(KEY) == 1, () -> "subscribed");
            String padding = "p".repeat(52);

            for (int i = 0; i < MESSAGES; i++) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (i - received.get() >= WINDOW) {
                    assertThat(System.nanoTime()).as("waiting for room; received %d of %d", received.get(), i)
                            .isLessThan(deadline);
                    Thread.yield();
                }
                PublishResult r;
                while ((r = publisher.publish(KEY, String.format("%12d", i) + padding)) != PublishResult.SENT) {
                    assertThat(r).as("publish %d", i).isEqualTo(PublishResult.BACK_PRESSURED);
                    Thread.onSpinWait();
                }
            }

            Await.until(WAIT, () -> received.get() == MESSAGES,
                    () -> "all messages; received " + received.get());
            assertThat(outOfOrder).hasValue(0);
            subscription.dispose();
        } finally {
            server.disposeNow(WAIT);
            brokerHub.close();
        }
    }
}
