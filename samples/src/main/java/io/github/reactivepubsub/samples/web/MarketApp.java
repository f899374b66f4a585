package io.github.reactivepubsub.samples.web;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.samples.web.market.DirectMarketFeed;
import io.github.reactivepubsub.samples.web.market.ExchangeSimulator;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import io.github.reactivepubsub.samples.web.market.MmapMarketFeed;
import io.github.reactivepubsub.samples.web.market.SimulatedExchange;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The WebFlux sample: a {@link Hub} (the starter's, from {@code reactive-pubsub.*} properties: in-process unless
 * {@code --hub} names a Redis server or a broker; its metrics at {@code /actuator/metrics/reactive.pubsub.hub.*} and
 * its health at {@code /actuator/health}), a simulated Ready Trader Go exchange writing its feed into a shared-memory
 * file in RTG layout, that file read back and bridged into the hub topics
 * {@code market.book.<instrument>} and {@code market.trades.<instrument>}, the HTTP API of {@link ApiController}, and
 * a live page at {@code /}. Settings: {@link SampleProperties}.
 *
 * <p>Run: {@code mvn -B -q -pl samples -am spring-boot:run}, then open {@code http://localhost:8080/}. On Redis:
 * {@code -Dspring-boot.run.arguments=--hub=redis://localhost:6379} (each instance on one Redis sees the others'
 * messages; give the second one {@code --server.port=8081}).
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class MarketApp {

    /**
     * Starts the app.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=9090 --sample.seed=7}
     */
    public static void main(String[] args) {
        SpringApplication.run(MarketApp.class, args);
    }

    /**
     * The codec of the hub's payloads when the hub is not in-process ({@code --hub=redis://host:port} or
     * {@code tcp://host:port}, through the starter's {@code reactive-pubsub.hub}): JSON, so that every instance of the
     * app on one Redis or broker sees the others' messages as the page shows them.
     *
     * @return the codec
     */
    @Bean
    Codec<Object> hubCodec() {
        return new JsonCodec();
    }

    /**
     * Caps every request body the server decodes at {@link ApiController#MAX_PAYLOAD_BYTES} (Spring's default is
     * 256 KiB), so that what one HTTP client publishes bounds each {@code /api/stream} buffer in bytes too; a larger
     * body answers 413 ({@link ApiErrors}).
     *
     * @return the codec configuration
     */
    @Bean
    WebFluxConfigurer payloadLimit() {
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
                configurer.defaultCodecs().maxInMemorySize(ApiController.MAX_PAYLOAD_BYTES);
            }
        };
    }

    /**
     * Opens the feed (blocking file I/O, here at start-up on the main thread).
     *
     * @param hub where the feed's messages are published
     * @param properties which feed, which file
     * @return the path from the simulated exchange to the hub
     */
    @Bean(destroyMethod = "close")
    MarketFeed marketFeed(Hub hub, SampleProperties properties) {
        if (properties.feed() == SampleProperties.Feed.DIRECT) {
            return new DirectMarketFeed(hub);
        }
        String file = properties.feedFile();
        return file == null || file.isBlank() ? MmapMarketFeed.openTemporary(hub)
                : MmapMarketFeed.open(Path.of(file), hub);
    }

    /**
     * @param properties seed and timer period
     * @param feed where the exchange writes
     * @return the running exchange, stopped on shutdown before the feed and the hub
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    SimulatedExchange simulatedExchange(SampleProperties properties, MarketFeed feed) {
        return new SimulatedExchange(new ExchangeSimulator(properties.seed()), properties.tickInterval(), feed);
    }

    /**
     * Stops the exchange and closes the hub as soon as shutdown begins, before the web server's graceful shutdown:
     * that waits (up to 30 s) for open requests to finish, and an open {@code /api/stream} finishes only when its
     * hub subscription completes, which closing the hub does. The beans' own close methods run again later
     * (both are idempotent).
     *
     * @param exchange the simulated exchange
     * @param hub the hub
     * @return the listener
     */
    @Bean
    ApplicationListener<ContextClosedEvent> endStreamsOnShutdown(SimulatedExchange exchange, Hub hub) {
        return event -> {
            exchange.close();
            hub.close();
        };
    }
}
