package io.github.reactivepubsub.samples.web;

import io.github.reactivepubsub.DroppedMessages;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hub over HTTP.
 *
 * <ul>
 *   <li>{@code GET /api/stream?pattern=market.**}: Server-Sent Events, one {@link StreamEvent} (JSON: key, payload,
 *       dropped) per matching message. Each connection is one hub subscriber with its own bounded buffer of
 *       {@code sample.stream-buffer-size} messages and {@link Overflow#DROP_OLDEST}: a client that reads too slowly
 *       (the connection stops asking for more) loses the oldest messages, counted in {@code dropped}, and never
 *       slows the feed or the other clients. The stream opens with an SSE comment so that clients see the
 *       response at once, even when nothing matches yet. As every published body is at most
 *       {@link #MAX_PAYLOAD_BYTES} bytes, a connection holds at most {@code sample.stream-buffer-size} ×
 *       {@link #MAX_PAYLOAD_BYTES} bytes of JSON (4 MiB with the defaults; decoded, as maps and lists, a few times
 *       that), whatever an HTTP client publishes.</li>
 *   <li>{@code POST /api/publish/{key}} with a JSON body of at most {@link #MAX_PAYLOAD_BYTES} bytes: publishes the
 *       decoded JSON value under the key, returns the {@link PublishResult} as {@link PublishResponse}. The hub's
 *       meta topics ({@code Hub.addedSubscriber.*}, {@code Hub.removedSubscriber.*}) are refused: the hub alone
 *       publishes them, and {@code **} subscribers trust them as subscribers joining and leaving.</li>
 *   <li>{@code GET /api/topics?pattern=**}: the active topics matching the pattern, with their subscriber counts.</li>
 *   <li>{@code GET /api/feed}: how the simulated market reaches the hub, and its counters ({@link FeedInfo}).</li>
 * </ul>
 *
 * <p>A malformed key or pattern, or a meta topic as publish key, answers 400 with what was wrong; a larger body, 413
 * ({@link ApiErrors}).
 * Nothing here blocks: the hub's publish and subscribe never do.
 */
@RestController
@RequestMapping("/api")
public class ApiController {

    /**
     * The largest request body the app decodes, so the largest JSON payload {@code /api/publish} accepts, in bytes
     * (16 KiB): {@link MarketApp} sets the server codecs' in-memory limit to it, and a larger body answers 413.
     */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024;

    private final Hub hub;
    private final MarketFeed feed;
    private final int streamBufferSize;

    /**
     * @param hub the app's hub
     * @param feed the market feed, for {@code /api/feed}
     * @param properties for the per-connection buffer size
     */
    public ApiController(Hub hub, MarketFeed feed, SampleProperties properties) {
        this.hub = hub;
        this.feed = feed;
        this.streamBufferSize = properties.streamBufferSize();
    }

    /**
     * One message as streamed.
     *
     * @param key the concrete key it was published under
     * @param payload its payload, as JSON
     * @param dropped messages dropped so far for this connection because it did not keep up
     */
    public record StreamEvent(String key, Object payload, long dropped) {
    }

    /**
     * A publish outcome.
     *
     * @param key the key published to
     * @param status {@code DELIVERED}, {@code NO_SUBSCRIBERS}, {@code CLOSED} or {@code DISCONNECTED}
     * @param subscribers how many subscribers received it
     */
    public record PublishResponse(String key, PublishResult.Status status, int subscribers) {
    }

    /**
     * An active topic.
     *
     * @param topic its key or pattern
     * @param subscribers its subscribers now
     */
    public record TopicInfo(String topic, int subscribers) {
    }

    /**
     * The market feed.
     *
     * @param transport how the simulator's datagrams reach the hub
     * @param written datagrams the simulator wrote so far
     * @param rejected datagrams that could not be decoded so far
     */
    public record FeedInfo(String transport, long written, long rejected) {
    }

    /**
     * @param pattern a key or pattern, e.g. {@code market.**}
     * @return the matching messages as Server-Sent Events, from now until the client leaves or the hub closes
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<StreamEvent>> stream(@RequestParam("pattern") String pattern) {
        Key key = Key.parse(pattern);
        return Flux.defer(() -> {
            AtomicLong dropped = new AtomicLong();
            SubscribeOptions options = SubscribeOptions.defaults()
                    .bufferSize(streamBufferSize)
                    .overflow(Overflow.DROP_OLDEST)
                    // a remote hub's broker reports its drops as counts (DroppedMessages), other hubs each message
                    .onDrop(m -> dropped.addAndGet(m instanceof DroppedMessages run ? run.count() : 1));
            return hub.subscribe(key, options)
                    .map(m -> ServerSentEvent.builder(new StreamEvent(m.key().toString(), m.payload(), dropped.get()))
                            .build())
                    .startWith(ServerSentEvent.<StreamEvent>builder().comment("subscribed to " + key).build());
        });
    }

    /**
     * @param key a concrete dotted key, outside the hub's meta topics
     * @param payload the JSON body, at most {@link #MAX_PAYLOAD_BYTES} bytes
     * @return what happened to the message
     * @throws ServerWebInputException when the key is one of the hub's meta topics
     */
    @PostMapping(path = "/publish/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<PublishResponse> publish(@PathVariable("key") String key, @RequestBody Mono<Object> payload) {
        Key concrete = Key.parse(key).requireConcrete();
        if (concrete.startsWith(Hub.ADDED_SUBSCRIBER) || concrete.startsWith(Hub.REMOVED_SUBSCRIBER)) {
            throw new ServerWebInputException("'" + concrete + "' is a meta topic of the hub (" + Hub.ADDED_SUBSCRIBER
                    + ".*, " + Hub.REMOVED_SUBSCRIBER + ".*), published by the hub only; expected another key");
        }
        return payload
                .switchIfEmpty(Mono.error(() -> new ServerWebInputException("a JSON payload is required, got null")))
                .map(p -> {
                    PublishResult result = hub.publish(concrete, p);
                    return new PublishResponse(concrete.toString(), result.status(), result.subscribers());
                });
    }

    /**
     * @param pattern which topics, {@code **} for all
     * @return the active topics it matches, sorted, with their subscriber counts
     */
    @GetMapping("/topics")
    public List<TopicInfo> topics(@RequestParam(name = "pattern", defaultValue = "**") String pattern) {
        return hub.topics(Key.parse(pattern)).stream()
                .map(topic -> new TopicInfo(topic.toString(), hub.subscriberCount(topic)))
                .toList();
    }

    /** @return how the simulated market reaches the hub, and its counters */
    @GetMapping("/feed")
    public FeedInfo feed() {
        return new FeedInfo(feed.transport(), feed.written(), feed.rejected());
    }
}
