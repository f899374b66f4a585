package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.samples.web.market.DirectMarketFeed;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import io.github.reactivepubsub.samples.web.market.MarketTopics;
import io.github.reactivepubsub.samples.web.market.MmapMarketFeed;
import java.nio.file.Path;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.test.StepVerifier;

/** The app's own start and shutdown: the market flows into the hub, and closing the app closes the hub. */
class MarketAppLifecycleTest {

    @Test
    void shutdownEndsOpenStreamsAtOnceInsteadOfWaitingForTheGracePeriod() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(MarketApp.class).run("--server.port=0");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> streamEnd = new CompletableFuture<>();
        WebClient.create("http://localhost:" + port).get()
                .uri("/api/stream?pattern=market.**")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(String.class)
                .subscribe(received::add, streamEnd::completeExceptionally, () -> streamEnd.complete(null));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the market flows on its real timer: poll, bounded
        }
        assertThat(received).hasSizeGreaterThanOrEqualTo(2);

        long start = System.nanoTime();
        app.close();

        // without closing the hub first, graceful shutdown would wait 30 s for the open stream
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        streamEnd.get(10, TimeUnit.SECONDS); // completed, not failed
    }

    @Test
    void theFeedReachesTheHubThroughASharedMemoryFileAndShutdownClosesBoth() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(MarketApp.class)
                .run("--server.port=0", "--sample.tick-interval=20ms");
        Hub hub = app.getBean(Hub.class);
        MarketFeed feed = app.getBean(MarketFeed.class);
        assertThat(feed).isInstanceOf(MmapMarketFeed.class);
        Path file = ((MmapMarketFeed) feed).file();
        try {
            assertThat(file).exists();
            StepVerifier.create(hub.subscribe(MarketTopics.trades(Instrument.FUTURE)).take(1))
                    .assertNext(m -> assertThat(m.key()).isEqualTo(Key.parse("market.trades.FUTURE")))
                    .verifyComplete();
        } finally {
            StepVerifier.create(hub.subscribe(Key.parse("market.**")))
                    .then(app::close)
                    .thenConsumeWhile(m -> true)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
        assertThat(hub.isClosed()).isTrue();
        assertThat(hub.publish(Key.parse("market.book.ETF"), "late")).isEqualTo(PublishResult.CLOSED);
        assertThat(file).as("the run's own feed file").doesNotExist();
    }

    @Test
    void theDirectFeedNeedsNoFile() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MarketApp.class)
                .run("--server.port=0", "--sample.tick-interval=20ms", "--sample.feed=direct")) {
            assertThat(app.getBean(MarketFeed.class)).isInstanceOf(DirectMarketFeed.class);
            StepVerifier.create(app.getBean(Hub.class).subscribe(MarketTopics.book(Instrument.ETF)).take(1))
                    .assertNext(m -> assertThat(m.key()).isEqualTo(Key.parse("market.book.ETF")))
                    .verifyComplete();
        }
    }
}
