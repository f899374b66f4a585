package io.github.reactivepubsub.mmap.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.github.reactivepubsub.mmap.PublisherOptions;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.mmap.StartPosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** {@link MmapMetrics} on a real {@code NATIVE} feed file, read through a {@link SimpleMeterRegistry}. */
class MmapMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void datagramsLapsAndLossesAreCounted() {
        Path file = dir.resolve("feed");
        try (MmapPublisher publisher = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(4096));
                MmapSubscriber subscriber = MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE)
                        .start(StartPosition.TAIL).checkInterval(Duration.ofMillis(5)))) {
            MmapMetrics.of(publisher).bindTo(registry);
            MmapMetrics.of(subscriber).bindTo(registry);

            StepVerifier.create(subscriber.datagrams()
                            .doOnNext(d -> LockSupport.parkNanos(20_000_000)) // slows the poller: it gets lapped
                            .take(2))
                    .then(() -> publish(publisher, 1))
                    .expectNextCount(1)
                    .then(() -> publish(publisher, 499))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(WAIT);

            String feed = file.toString();
            assertThat(counter("reactive.pubsub.mmap.datagrams", "feed", feed, "side", "published", "layout",
                    "native")).isEqualTo(500);
            assertThat(counter("reactive.pubsub.mmap.datagrams", "side", "received"))
                    .isEqualTo(subscriber.delivered()).isGreaterThanOrEqualTo(2);
            assertThat(counter("reactive.pubsub.mmap.laps")).isEqualTo(subscriber.lappedCount()).isPositive();
            assertThat(counter("reactive.pubsub.mmap.lost")).isEqualTo(subscriber.messagesLost()).isPositive();
            assertThat(counter("reactive.pubsub.mmap.skipped")).isEqualTo(subscriber.bytesSkipped());
            assertThat(registry.get("reactive.pubsub.mmap.skipped").functionCounter().getId().getBaseUnit())
                    .isEqualTo("bytes");
        }
    }

    private static void publish(MmapPublisher publisher, int count) {
        for (int i = 0; i < count; i++) {
            publisher.publish(ByteBuffer.allocate(16).putLong(0, i).array());
        }
    }
}
