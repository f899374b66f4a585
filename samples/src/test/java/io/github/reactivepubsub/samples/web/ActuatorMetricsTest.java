package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

/** The hub's meters and health, as the starter exposes them through Actuator while the demo market runs. */
class ActuatorMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private static Map<String, Object> get(WebClient client, String path) {
        return client.get().uri(path).retrieve().bodyToMono(JSON).block(WAIT);
    }

    @SuppressWarnings("unchecked")
    private static double value(Map<String, Object> meter) {
        List<Map<String, Object>> measurements = (List<Map<String, Object>>) meter.get("measurements");
        return ((Number) measurements.get(0).get("value")).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishedCountsGrowWhileTheDemoRunsAndTheHubIsHealthy() throws InterruptedException {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MarketApp.class)
                .run("--server.port=0", "--sample.tick-interval=20ms")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            WebClient client = WebClient.create("http://localhost:" + port);
            // the page's stream subscribes, so the feed's publishes are delivered
            client.get().uri("/api/stream?pattern=market.**").retrieve().bodyToFlux(String.class).take(1)
                    .blockLast(WAIT);

            Map<String, Object> first = get(client, "/actuator/metrics/reactive.pubsub.hub.published");
            double before = value(first);
            double after = before;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (after <= before && System.nanoTime() < deadline) {
                Thread.sleep(20); // the market runs on its real timer: poll, bounded
                after = value(get(client, "/actuator/metrics/reactive.pubsub.hub.published"));
            }

            assertThat(before).as("publishes counted since start").isPositive();
            assertThat(after).as("and still growing").isGreaterThan(before);
            assertThat((List<Map<String, Object>>) first.get("availableTags"))
                    .anySatisfy(tag -> assertThat(tag).containsEntry("tag", "result")
                            .extractingByKey("values").asList().contains("delivered"))
                    .anySatisfy(tag -> assertThat(tag).containsEntry("tag", "hub")
                            .extractingByKey("values").asList().containsExactly("market"));
            assertThat(value(get(client, "/actuator/metrics/reactive.pubsub.hub.published?tag=result:delivered")))
                    .isPositive();
            assertThat(value(get(client, "/actuator/metrics/reactive.pubsub.topic.delivered?tag=topic:market.**")))
                    .as("the allow-listed topic of the page's stream").isPositive();

            Map<String, Object> health = get(client, "/actuator/health");
            Map<String, Object> hub = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
                    .get("reactivePubSub");
            assertThat(hub).containsEntry("status", "UP");
            assertThat((Map<String, Object>) hub.get("details")).containsEntry("status", "CONNECTED")
                    .containsEntry("hub", "local");
        }
    }
}
