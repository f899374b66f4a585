package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API against the running app (real server on a random port, simulator running). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiEndpointsTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Hub hub;

    @Autowired
    MarketFeed feed;

    WebTestClient client;

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    private FluxExchangeResult<ServerSentEvent<String>> openStream(String pattern) {
        return client.get().uri("/api/stream?pattern={p}", pattern)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(SSE);
    }

    private void awaitSubscribers(String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hub.subscriberCount(Key.parse(topic)) != count && System.nanoTime() < deadline) {
            Thread.sleep(5); // the server subscribes on its event loop: poll, bounded
        }
        assertThat(hub.subscriberCount(Key.parse(topic))).as("subscribers of %s", topic).isEqualTo(count);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void streamSendsMatchingMessagesAsJsonWithTheirKey() throws InterruptedException {
        FluxExchangeResult<ServerSentEvent<String>> stream = openStream("test.sse.*");
        StepVerifier.create(stream.getResponseBody())
                .assertNext(first -> assertThat(first.comment()).isEqualTo("subscribed to test.sse.*"))
                .then(() -> {
                    try {
                        awaitSubscribers("test.sse.*", 1);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    publish("test.other.one", "{\"ignored\":true}");
                    publish("test.sse.one", "{\"price\":101.5,\"side\":\"buy\",\"levels\":[1,2]}")
                            .jsonPath("$.status").isEqualTo("DELIVERED")
                            .jsonPath("$.subscribers").isEqualTo(1);
                    publish("test.sse.two", "42");
                })
                .assertNext(event -> {
                    JsonNode data = json(event.data());
                    assertThat(data.get("key").asString()).isEqualTo("test.sse.one");
                    assertThat(data.get("payload"))
                            .isEqualTo(json("{\"price\":101.5,\"side\":\"buy\",\"levels\":[1,2]}"));
                    assertThat(data.get("dropped").asLong()).isZero();
                })
                .assertNext(event -> assertThat(json(event.data())).isEqualTo(
                        json("{\"key\":\"test.sse.two\",\"payload\":42,\"dropped\":0}")))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        awaitSubscribers("test.sse.*", 0);
    }

    @Test
    void streamOfTheMarketCarriesTheSimulatorsOrderBooks() {
        StepVerifier.create(openStream("market.book.ETF").getResponseBody().skip(1).take(2)
                        .map(event -> json(event.data())))
                .assertNext(first -> {
                    assertThat(first.get("key").asString()).isEqualTo("market.book.ETF");
                    JsonNode book = first.get("payload");
                    assertThat(book.get("type").asString()).isEqualTo("ORDER_BOOK_UPDATE");
                    assertThat(book.get("instrument").asString()).isEqualTo("ETF");
                    assertThat(book.get("asks")).hasSize(5);
                    assertThat(book.get("bids")).hasSize(5);
                    assertThat(book.get("asks").get(0).get("price").asLong())
                            .isGreaterThan(book.get("bids").get(0).get("price").asLong());
                })
                .assertNext(second -> assertThat(second.get("key").asString()).isEqualTo("market.book.ETF"))
                .verifyComplete();
    }

    @Test
    void streamRejectsABadPatternWith400AndTheReason() {
        client.get().uri("/api/stream?pattern={p}", "market..book")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.reason").isEqualTo(
                        "empty segment 1 of 'market..book': every segment needs at least one character");
        client.get().uri("/api/stream?pattern={p}", "market.**.ETF")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason").isEqualTo("'**' in segment 1 of 'market.**.ETF' must be the last segment");
        client.get().uri("/api/stream")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason").isEqualTo("Required query parameter 'pattern' is not present.");
    }

    private WebTestClient.BodyContentSpec publish(String key, String json) {
        return client.post().uri("/api/publish/{key}", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.key").isEqualTo(key);
    }

    @Test
    void publishReturnsThePublishResult() {
        List<Message<Object>> received = new CopyOnWriteArrayList<>();
        Disposable.Composite subscriptions = Disposables.composite(
                hub.subscribe(Key.parse("test.publish.*")).subscribe(received::add),
                hub.subscribe(Key.parse("test.**")).subscribe(received::add));
        try {
            publish("test.publish.order", "{\"qty\":3,\"side\":\"sell\"}")
                    .jsonPath("$.status").isEqualTo("DELIVERED")
                    .jsonPath("$.subscribers").isEqualTo(2);
            assertThat(received).hasSize(2).allSatisfy(m -> {
                assertThat(m.key()).isEqualTo(Key.parse("test.publish.order"));
                assertThat(m.payload()).isEqualTo(Map.of("qty", 3, "side", "sell"));
            });
        } finally {
            subscriptions.dispose();
        }
        publish("test.publish.order", "\"text\"")
                .jsonPath("$.status").isEqualTo("NO_SUBSCRIBERS")
                .jsonPath("$.subscribers").isEqualTo(0);
    }

    @Test
    void publishRejectsPatternsMalformedKeysAndMissingBodiesWith400() {
        client.post().uri("/api/publish/{key}", "test.*")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("'test.*' is a pattern: publishing needs a concrete key without '*' or '**'");
        client.post().uri("/api/publish/{key}", "test.GOO*")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason").isEqualTo(
                        "'GOO*' in segment 1 of 'test.GOO*': a wildcard must be a whole segment ('*' or a last '**')");
        client.post().uri("/api/publish/{key}", "test.empty")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason").isEqualTo("No request body");
    }

    @Test
    void publishRefusesTheHubsMetaTopicsWith400() {
        List<Message<Object>> forged = new CopyOnWriteArrayList<>();
        Disposable all = hub.subscribe(Key.parse("**"))
                .filter(m -> m.key().toString().endsWith(".test.forged"))
                .subscribe(forged::add);
        try {
            for (String meta : List.of("Hub.addedSubscriber", "Hub.removedSubscriber")) {
                client.post().uri("/api/publish/{key}", meta + ".test.forged")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                        .exchange()
                        .expectStatus().isBadRequest()
                        .expectBody()
                        .jsonPath("$.reason").isEqualTo("'" + meta + ".test.forged' is a meta topic of the hub "
                                + "(Hub.addedSubscriber.*, Hub.removedSubscriber.*), published by the hub only; "
                                + "expected another key");
            }
        } finally {
            all.dispose();
        }
        assertThat(forged).isEmpty();
    }

    @Test
    void publishAcceptsABodyUpToTheLimitAndRefusesALargerOneWith413() {
        // a JSON string of exactly MAX_PAYLOAD_BYTES bytes, quotes included
        String largest = "\"" + "x".repeat(ApiController.MAX_PAYLOAD_BYTES - 2) + "\"";
        publish("test.limit", largest).jsonPath("$.status").isEqualTo("NO_SUBSCRIBERS");
        client.post().uri("/api/publish/{key}", "test.limit")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("\"x" + largest.substring(1))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(413)
                .jsonPath("$.reason").isEqualTo("the body of POST /api/publish/test.limit is over 16384 bytes; "
                        + "expected a JSON payload of at most 16384 bytes");
        // the server does not read the rest of the body and closes that connection: the client's next request
        // must go on another one, not fail as "prematurely closed"
        publish("test.limit", "\"after\"").jsonPath("$.status").isEqualTo("NO_SUBSCRIBERS");
    }

    @Test
    void feedTellsHowTheMarketTravelsAndCountsIt() {
        long written = feed.written();
        client.get().uri("/api/feed")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.transport").isEqualTo(feed.transport())
                .jsonPath("$.transport").value(String.class, transport -> assertThat(transport)
                        .matches("shared-memory file .*/reactive-pubsub-market-.*\\.rtg \\(RTG layout\\)"))
                .jsonPath("$.written")
                .value(Number.class, n -> assertThat(n.longValue()).isGreaterThanOrEqualTo(written))
                .jsonPath("$.rejected").isEqualTo(0);
    }

    @Test
    void topicsListsActiveTopicsWithSubscriberCounts() {
        Disposable.Composite subscriptions = Disposables.composite(
                hub.subscribe(Key.parse("test.topics.a")).subscribe(),
                hub.subscribe(Key.parse("test.topics.a")).subscribe(),
                hub.subscribe(Key.parse("test.topics.*")).subscribe(),
                hub.subscribe(Key.parse("test.elsewhere")).subscribe());
        try {
            client.get().uri("/api/topics?pattern={p}", "test.topics.**")
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().json("""
                            [{"topic":"test.topics.*","subscribers":1},{"topic":"test.topics.a","subscribers":2}]
                            """, true);
            client.get().uri("/api/topics")
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$[?(@.topic == 'test.elsewhere')].subscribers").isEqualTo(1);
        } finally {
            subscriptions.dispose();
        }
        client.get().uri("/api/topics?pattern={p}", "test.topics.**")
                .exchange()
                .expectStatus().isOk()
                .expectBody().json("[]", true);
        client.get().uri("/api/topics?pattern={p}", "test.**.x")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.reason").isEqualTo("'**' in segment 1 of 'test.**.x' must be the last segment");
    }
}
