package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.SubscribeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/** Feed to hub and hub to feed. */
class FeedBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Hub hub = Hub.create();

    @AfterEach
    void close() {
        hub.close();
    }

    /** The bridge counts after delivery returns, which may be after the test saw the message: wait, bounded. */
    private static void awaitCounts(FeedBridge bridge, long forwarded, long rejected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((bridge.forwarded() != forwarded || bridge.rejected() != rejected) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(bridge.forwarded()).isEqualTo(forwarded);
        assertThat(bridge.rejected()).isEqualTo(rejected);
    }

    private static String text(Datagram d) {
        return new String(d.toByteArray(), StandardCharsets.US_ASCII);
    }

    @Test
    void datagramsBecomeHubMessagesUnderChosenKeysAndBadOnesAreRejectedAlone() {
        Path file = dir.resolve("md.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.RTG));
                MmapSubscriber feed = MmapSubscriber.open(file, ReaderOptions.of(Layout.RTG))) {
            FeedBridge bridge = FeedBridge.feedToHub(feed, hub, d -> Key.of("md", text(d).substring(0, 1)),
                    d -> {
                        if (text(d).endsWith("!")) {
                            throw new ProtocolException(0, "bad datagram");
                        }
                        return text(d);
                    });

            StepVerifier.create(hub.<String>subscribe(Key.parse("md.*")).take(2))
                    .then(() -> {
                        pub.publish("a1".getBytes(StandardCharsets.US_ASCII));
                        pub.publish("b!".getBytes(StandardCharsets.US_ASCII));
                        pub.publish("b2".getBytes(StandardCharsets.US_ASCII));
                    })
                    .expectNext(new Message<>(Key.of("md", "a"), "a1"), new Message<>(Key.of("md", "b"), "b2"))
                    .expectComplete()
                    .verify(WAIT);
            awaitCounts(bridge, 2, 1);
            bridge.dispose();
            assertThat(bridge.isDisposed()).isTrue();
        }
    }

    @Test
    void hubSubscriptionIsWrittenOutToAFeed() {
        Path file = dir.resolve("orders.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(4096));
                MmapSubscriber feed = MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE)
                        .start(StartPosition.TAIL))) {
            FeedBridge bridge = FeedBridge.hubToFeed(hub, Key.parse("orders.**"), SubscribeOptions.defaults(), pub,
                    (Message<String> m) -> (m.key() + "=" + m.payload()).getBytes(StandardCharsets.US_ASCII));

            StepVerifier.create(feed.datagrams().map(FeedBridgeTest::text).take(2))
                    .then(() -> {
                        hub.publish(Key.of("orders", "new"), "1");
                        hub.publish(Key.of("orders", "new"), "x".repeat(600)); // above 512: rejected alone
                        hub.publish(Key.of("orders", "cancel", "7"), "2");
                    })
                    .expectNext("orders.new=1", "orders.cancel.7=2")
                    .expectComplete()
                    .verify(WAIT);
            awaitCounts(bridge, 2, 1);
            bridge.dispose();
        }
    }

    @Test
    void aRejectedElementIsLoggedEscapedAndCut() {
        Path file = dir.resolve("escaped.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE))) {
            FeedBridge bridge = FeedBridge.hubToFeed(hub, Key.parse("orders.**"), SubscribeOptions.defaults(), pub,
                    (Message<String> m) -> {
                        throw new IllegalArgumentException("cannot encode");
                    });
            TestLogger log = new TestLogger(false);
            LoggerUtils.enableCaptureWith(log);
            try {
                // a payload that would forge a log line of its own, then more than the 200 characters logged
                hub.publish(Key.of("orders", "new"), "1\r\n[ERROR] forged \u00e9" + "x".repeat(300));
                awaitCounts(bridge, 0, 1);
            } finally {
                LoggerUtils.disableCapture();
                bridge.dispose();
            }
            String logged = log.getErrContent() + log.getOutContent();
            String line = logged.lines().filter(l -> l.contains("rejected")).findFirst().orElseThrow();
            assertThat(line).contains("rejected Message[key=orders.new, payload=1\\r\\n[ERROR] forged \\xe9xxx")
                    .contains("...(152 more) (1 so far)");
            assertThat(logged).doesNotContain("\n[ERROR] forged");
        }
    }
}
