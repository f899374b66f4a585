package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.samples.web.market.MarketTopics;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.test.StepVerifier;

/** The app's own start and shutdown: the market flows into the hub, and closing the app closes the hub. */
class MarketAppLifecycleTest {

    @Test
    void theFeedReachesTheHubAndShutdownClosesIt() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(MarketApp.class)
                .run("--server.port=0", "--sample.tick-interval=20ms");
        Hub hub = app.getBean(Hub.class);
        try {
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
    }
}
