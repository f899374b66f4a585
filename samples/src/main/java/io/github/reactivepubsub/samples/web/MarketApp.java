package io.github.reactivepubsub.samples.web;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.samples.web.market.DirectMarketFeed;
import io.github.reactivepubsub.samples.web.market.ExchangeSimulator;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import io.github.reactivepubsub.samples.web.market.SimulatedExchange;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The WebFlux sample: an in-process {@link Hub}, a simulated Ready Trader Go exchange whose feed is bridged into the
 * hub topics {@code market.book.<instrument>} and {@code market.trades.<instrument>}, the HTTP API of
 * {@link ApiController}, and a live page at {@code /}.
 *
 * <p>Run: {@code mvn -B -q -pl samples -am spring-boot:run}, then open {@code http://localhost:8080/}.
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

    /** @return the app's hub, closed on shutdown (every stream then completes) */
    @Bean(destroyMethod = "close")
    Hub hub() {
        return Hub.create();
    }

    /**
     * @param hub where the feed's messages are published
     * @return the path from the simulated exchange to the hub
     */
    @Bean(destroyMethod = "close")
    MarketFeed marketFeed(Hub hub) {
        return new DirectMarketFeed(hub);
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
}
