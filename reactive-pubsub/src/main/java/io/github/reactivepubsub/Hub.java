package io.github.reactivepubsub;

import java.util.List;
import java.util.Optional;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A publish/subscribe hub: every subscribed key or pattern is a topic, a hot {@link Flux}; publishing to a concrete
 * key delivers to every topic whose pattern matches it.
 *
 * <pre>{@code
 * Hub hub = Hub.create();
 * hub.<Trade>subscribe(Key.parse("*.trade.*"))
 *    .subscribe(m -> System.out.println(m.key() + " " + m.payload()));
 * hub.publisher(Key.of("NASDAQ")).publish(Key.of("trade", "GOOGL"), trade);
 * }</pre>
 *
 * <h2>Threading</h2>
 * Every method is safe from any thread. {@link #publish} never blocks and never spins: emissions into one topic are
 * serialized without locks (the thread that finds the topic busy leaves its message for the thread already
 * emitting), so messages of one publishing thread reach every subscriber in publish order. Subscribers receive
 * messages on the thread that published them, or the one that requested them. The messages left for the emitting
 * thread wait in the topic's queue, which is not bounded: it grows only while other threads publish to the topic
 * faster than that thread emits, which includes running the subscribers that consume on the publishing thread (no
 * {@code publishOn}). When several threads publish fast into one topic, give a slow subscriber a thread of its own:
 * then emitting only fills its bounded buffer.
 *
 * <h2>Backpressure</h2>
 * Each subscriber has its own bounded buffer ({@link SubscribeOptions}): a slow or stalled subscriber holds at most
 * {@code bufferSize} messages, then its {@link Overflow} policy applies; it never slows the publishers or the
 * other subscribers.
 *
 * <h2>Implementations</h2>
 * {@link #create()} returns the in-process hub. The TCP module adds a remote hub implementing this same interface,
 * so code written against {@code Hub} moves between processes unchanged.
 */
public interface Hub extends AutoCloseable {

    /**
     * Prefix of the meta messages the in-process hub publishes when a subscriber joins a topic:
     * {@code Hub.addedSubscriber.<topic>}, with the {@link HubEvent} as payload. (The remote hub reports the same
     * changes through {@link #events()} only: its wire protocol never carries meta messages.)
     */
    Key ADDED_SUBSCRIBER = Key.of("Hub", "addedSubscriber");
    /** Prefix of the in-process hub's meta messages when a subscriber leaves a topic: see {@link #ADDED_SUBSCRIBER}. */
    Key REMOVED_SUBSCRIBER = Key.of("Hub", "removedSubscriber");

    /** @return a new in-process hub with {@link HubOptions#defaults()} */
    static Hub create() {
        return new LocalHub(HubOptions.defaults());
    }

    /**
     * @param options the hub's options
     * @return a new in-process hub
     */
    static Hub create(HubOptions options) {
        return new LocalHub(options);
    }

    /**
     * Subscribes to a key or pattern with the hub's default {@link SubscribeOptions}.
     *
     * @param pattern a concrete key or a pattern ({@code *}, trailing {@code **})
     * @param <T> the payload type the caller expects (not checked: publishers decide what they publish)
     * @return a Flux of the matching messages; each subscription to it is one subscriber of the topic, from
     *     {@code subscribe} until it cancels, fails or the hub closes (then it completes after its buffered
     *     messages)
     * @see #subscribe(Key, SubscribeOptions)
     */
    <T> Flux<Message<T>> subscribe(Key pattern);

    /**
     * Subscribes to a key or pattern.
     *
     * <p>Backpressure: each Reactive Streams subscriber gets its own buffer of {@code options.bufferSize()} messages;
     * when it is full, {@code options.overflow()} applies (by default the subscriber fails with an
     * {@link OverflowException}). A subscriber whose {@code onNext} throws is cancelled alone and the error is
     * logged with its topic; the hub and the other subscribers go on.
     *
     * @param pattern a concrete key or a pattern
     * @param options the subscriber's buffer and overflow policy
     * @param <T> the payload type the caller expects
     * @return a Flux of the matching messages
     */
    <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions options);

    /**
     * @param pattern a dotted key or pattern, see {@link Key#parse(String)}
     * @param <T> the payload type the caller expects
     * @return see {@link #subscribe(Key)}
     * @throws InvalidKeyException when the pattern is not well formed
     */
    default <T> Flux<Message<T>> subscribe(String pattern) {
        return subscribe(Key.parse(pattern));
    }

    /**
     * Publishes a message to every topic matching the key. Never blocks, never throws for lack of subscribers.
     *
     * @param key a concrete key (no wildcard)
     * @param payload the payload, delivered as is (not copied) to every subscriber
     * @return how many subscribers received it, {@link PublishResult#NO_SUBSCRIBERS} or {@link PublishResult#CLOSED}
     * @throws InvalidKeyException when the key is a pattern
     */
    PublishResult publish(Key key, Object payload);

    /**
     * @param key a dotted concrete key
     * @param payload the payload
     * @return see {@link #publish(Key, Object)}
     * @throws InvalidKeyException when the key is not well formed or is a pattern
     */
    default PublishResult publish(String key, Object payload) {
        return publish(Key.parse(key), payload);
    }

    /**
     * A publisher whose keys are prefixed (aiopubsub's {@code Publisher(hub, prefix)}).
     *
     * @param prefix the concrete prefix prepended to every key it publishes to
     * @return the publisher
     * @throws InvalidKeyException when the prefix is a pattern
     */
    default HubPublisher publisher(Key prefix) {
        return new HubPublisher(this, prefix.requireConcrete());
    }

    /**
     * Declares a topic with options, and keeps it (with its replay history) while the returned handle is not
     * disposed, even when it has no subscriber. Subscribers of exactly this key or pattern share the topic.
     *
     * @param pattern the topic's key or pattern
     * @param options the topic's options (replay count)
     * @return a handle whose disposal releases the declaration (the topic goes when its last subscriber also leaves)
     * @throws IllegalStateException when the topic is already active with other options
     */
    Disposable declare(Key pattern, TopicOptions options);

    /**
     * The active topics (subscribed keys and patterns, and declared topics) that a query pattern matches, segment
     * by segment, taking the topics' own {@code *} and {@code **} literally: {@code **} lists them all.
     *
     * @param query a key or pattern
     * @return a snapshot of the matching topics, sorted by their dotted form
     */
    List<Key> topics(Key query);

    /**
     * The options of an active topic (declared, or subscribed with the defaults), as far as this hub knows them. A
     * remote hub knows them from its broker (protocol version 2); hubs that do not track options answer empty.
     *
     * @param topic a topic's key or pattern, compared exactly
     * @return the topic's options, or empty when it is not active (or its options are unknown)
     */
    default Optional<TopicOptions> topicOptions(Key topic) {
        return Optional.empty();
    }

    /**
     * @param topic a subscribed key or pattern, compared exactly (the topic {@code *.trade.*} is not the topic
     *     {@code NYSE.trade.IBM})
     * @return how many subscribers the topic has now (0 when it is not active)
     */
    int subscriberCount(Key topic);

    /**
     * Subscriber changes on every topic, in the order they happened, with the topic's count after each change. A hot
     * Flux: changes before subscription are not replayed. Buffered like any subscriber, with the hub's default
     * {@link SubscribeOptions}.
     *
     * @return the events
     */
    Flux<HubEvent> events();

    /**
     * The hub's connection status, current value first, then every change. An in-process hub is
     * {@link ConnectionStatus#CONNECTED} until it closes, then {@link ConnectionStatus#CLOSED} (and the Flux
     * completes); a remote hub also reports {@code CONNECTING}, {@code DISCONNECTED} and {@code RECONNECTING}.
     * Hot for the changes, never blocks; signals on the thread that changed the status.
     *
     * @return the status and its changes, completing after {@code CLOSED}
     */
    Flux<ConnectionStatus> status();

    /**
     * Closes the hub: every subscriber's Flux completes after the messages already in its buffer, and every later
     * publish returns {@link PublishResult#CLOSED}. Idempotent. (A remote hub's subscriber buffers sit at its broker:
     * what they still hold when the client closes is not fetched, and the Flux completes after what reached this
     * process.)
     */
    @Override
    void close();

    /** @return whether {@link #close()} was called */
    boolean isClosed();

    /**
     * Running totals and current figures of this hub, for monitoring ({@code HubMetrics} binds them to a Micrometer
     * registry). The in-process, remote and Redis hubs count; see each one for what its figures mean and what counting
     * costs. This default, for a hub that does not count, answers {@link HubStats#topics()} and
     * {@link HubStats#subscribers()} from {@link #topics(Key)} and {@link #subscriberCount(Key)}, and 0 otherwise.
     *
     * @return the figures; thread-safe
     */
    default HubStats stats() {
        return new UncountedHubStats(this);
    }
}
