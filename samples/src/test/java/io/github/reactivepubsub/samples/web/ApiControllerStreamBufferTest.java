package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.samples.web.ApiController.StreamEvent;
import io.github.reactivepubsub.samples.web.market.DirectMarketFeed;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.test.StepVerifier;

/** The per-connection buffer of {@code /api/stream}, without HTTP: a client that stops reading keeps the newest. */
class ApiControllerStreamBufferTest {

    private final Hub hub = Hub.create();
    private final ApiController controller = new ApiController(hub, new DirectMarketFeed(hub),
            new SampleProperties(1, Duration.ofSeconds(1), 8, SampleProperties.Feed.DIRECT, null));

    @AfterEach
    void closeHub() {
        hub.close();
    }

    @Test
    void aLaggingConnectionDropsItsOldestMessagesAndCountsThem() {
        Key key = Key.parse("test.lag");
        StepVerifier.create(controller.stream("test.*"), 1)
                .assertNext(comment -> assertThat(comment.comment()).isEqualTo("subscribed to test.*"))
                .then(() -> {
                    assertThat(hub.subscriberCount(Key.parse("test.*"))).isEqualTo(1);
                    IntStream.range(0, 20).forEach(i -> hub.publish(key, i));
                })
                .thenRequest(8)
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(8)
                .consumeRecordedWith(events -> {
                    List<StreamEvent> data = events.stream().map(ServerSentEvent::data).toList();
                    assertThat(data).extracting(StreamEvent::payload).containsExactly(12, 13, 14, 15, 16, 17, 18, 19);
                    assertThat(data).extracting(StreamEvent::key).containsOnly("test.lag");
                    assertThat(data).extracting(StreamEvent::dropped).containsOnly(12L);
                })
                .then(() -> hub.publish(key, 20))
                .thenRequest(1)
                .assertNext(e -> assertThat(e.data()).isEqualTo(new StreamEvent("test.lag", 20, 12)))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(hub.subscriberCount(Key.parse("test.*"))).isZero();
    }
}
