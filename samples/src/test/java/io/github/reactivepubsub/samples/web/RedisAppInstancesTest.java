package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Two instances of the app started with {@code --hub=redis://...} on one real redis-server see each other. */
class RedisAppInstancesTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MarketApp.class)
                .run("--server.port=0", "--hub=" + REDIS.uri(), "--sample.feed=direct");
    }

    private static WebTestClient client(ConfigurableApplicationContext app) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    @BeforeEach
    void startBoth() {
        first = start();
        second = start();
    }

    @AfterEach
    void stopBoth() {
        first.close();
        second.close();
    }

    @Test
    void aMessagePostedToOneInstanceIsStreamedByTheOther() {
        Hub secondHub = second.getBean(Hub.class);
        assertThat(secondHub).isInstanceOf(RedisHub.class);
        StepVerifier.create(client(second).get().uri("/api/stream?pattern={p}", "test.redis.*")
                        .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                        .returnResult(SSE).getResponseBody())
                .assertNext(opened -> assertThat(opened.comment()).isEqualTo("subscribed to test.redis.*"))
                .then(() -> {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (secondHub.subscriberCount(Key.parse("test.redis.*")) != 1) { // bounded polling
                        assertThat(System.nanoTime()).as("the stream subscribed").isLessThan(deadline);
                        Thread.onSpinWait();
                    }
                    client(first).post().uri("/api/publish/{key}", "test.redis.order")
                            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"qty\":3,\"from\":\"first\"}")
                            .exchange().expectStatus().isOk()
                            .expectBody().jsonPath("$.status").isEqualTo("SENT");
                })
                .assertNext(event -> {
                    JsonNode data = JSON.readTree(event.data());
                    assertThat(data.get("key").asString()).isEqualTo("test.redis.order");
                    assertThat(data.get("payload")).isEqualTo(JSON.readTree("{\"qty\":3,\"from\":\"first\"}"));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void theMarketOfBothInstancesTravelsThroughRedisAsJson() {
        StepVerifier.create(client(first).get().uri("/api/stream?pattern={p}", "market.book.ETF")
                        .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                        .returnResult(SSE).getResponseBody().skip(1).take(1).map(e -> JSON.readTree(e.data())))
                .assertNext(book -> {
                    assertThat(book.get("key").asString()).isEqualTo("market.book.ETF");
                    assertThat(book.get("payload").get("type").asString()).isEqualTo("ORDER_BOOK_UPDATE");
                    assertThat(book.get("payload").get("asks")).hasSize(5);
                })
                .verifyComplete();
    }
}
