package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link Hub} whose messages travel through Redis pub/sub (one server or a Redis Cluster), so that hubs in many
 * processes on many machines see each other's messages: code written against {@code Hub} moves from one process to
 * many by changing the line that creates the hub.
 *
 * <pre>{@code
 * RedisHub hub = RedisHub.create("redis://localhost:6379", Codecs.utf8(), RedisHubOptions.defaults());
 * hub.connected().block(Duration.ofSeconds(10));                 // optional: wait for the first connection
 * hub.<String>subscribe(Key.parse("*.trade.*")).subscribe(m -> System.out.println(m.key() + " " + m.payload()));
 * PublishResult r = hub.publish(Key.parse("NYSE.trade.IBM"), "100@140"); // SENT, DISCONNECTED or BACK_PRESSURED
 * hub.close();
 * }</pre>
 *
 * <h2>Keys and channels</h2>
 * Key {@code NASDAQ.trade.GOOGL} is channel {@code <namespace>NASDAQ.trade.GOOGL} ({@link RedisHubOptions#namespace}),
 * so {@code redis-cli PUBLISH NASDAQ.trade.GOOGL x} reaches a subscriber of {@code *.trade.*} and a publish is seen by
 * {@code redis-cli SUBSCRIBE NASDAQ.trade.GOOGL}. A pattern becomes a {@code PSUBSCRIBE} glob with the glob
 * metacharacters of its literal segments escaped; Redis's {@code *} also matches dots, so what arrives is filtered
 * with our rules ({@code *} = one segment, a last {@code **} = zero or more): a subscriber of {@code demo.*} never
 * receives {@code demo.x.y}. Channels that are not well-formed keys are ignored. See {@code docs/redis.md}.
 *
 * <h2>Connections</h2>
 * One pub/sub connection carries every subscription of the hub: the first subscriber of a key or pattern sends
 * {@code SUBSCRIBE} (or {@code PSUBSCRIBE}, {@code SSUBSCRIBE}), the last to leave withdraws it. It is read at full
 * speed, whatever the subscribers request: each subscriber has its own bounded buffer and
 * {@link io.github.reactivepubsub.Overflow} policy ({@link SubscribeOptions}), so a slow subscriber neither stalls the
 * others nor lets Redis's output buffer for us grow (Redis would disconnect us at {@code client-output-buffer-limit
 * pubsub}). A second, ordinary connection carries publishes (pipelined), {@code PUBSUB} queries and stream reads of
 * the tail; each replay topic with subscribers reads its stream on a connection of its own.
 *
 * <h2>Connection status and reconnection</h2>
 * {@link #status()} reports {@code CONNECTING}, then {@code CONNECTED} once both connections are up and every
 * subscription is confirmed by Redis; when a connection is lost, {@code DISCONNECTED}, then {@code RECONNECTING} for
 * each attempt after an exponential back-off with jitter ({@link RedisHubOptions#backoff}); {@code CLOSED} after
 * {@link #close()}. Every live subscription is sent once on each new connection. Plain pub/sub keeps nothing: what is
 * published while this hub is disconnected does not reach its subscribers. A replay topic resumes its stream after
 * the last entry it delivered, so its subscribers lose nothing that the stream still holds.
 *
 * <h2>Publishing</h2>
 * {@link #publish} never blocks: it encodes the payload and writes {@code PUBLISH} without waiting for the reply:
 * {@link PublishResult#SENT}; {@link PublishResult#DISCONNECTED} while not connected (nothing is queued for later);
 * {@link PublishResult#BACK_PRESSURED} when {@link RedisHubOptions#maxInFlight()} publishes await Redis's reply;
 * {@link PublishResult#CLOSED} after {@link #close()}. {@link #publishAndCount} returns Redis's receiver count
 * instead. A payload larger than {@link RedisHubOptions#maxMessageBytes()} is refused before sending.
 *
 * <h2>Replay topics: Redis Streams</h2>
 * {@code declare(key, TopicOptions.defaults().replay(n))} makes this hub's publishes to {@code key} also append to a
 * Redis Stream of the same name ({@code XADD MAXLEN ~ n}, atomically with the {@code PUBLISH}), and its subscribers of
 * exactly {@code key} read that stream: first its last {@code n} entries, then every later entry, in stream-id
 * order, with no gap and no duplicate. Every hub that publishes to a replay topic must declare it too (otherwise its
 * messages reach only pub/sub subscribers); entries added with {@code redis-cli XADD <key> * p <payload>} are
 * delivered too.
 *
 * <h2>Redis Cluster</h2>
 * With {@link #createCluster}, exact keys use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7.0+).
 * {@code PSUBSCRIBE} only sees classic {@code PUBLISH} traffic, so patterns use it and every publish is sent both
 * ways; see {@link RedisHubOptions#clusterPatterns(boolean)}.
 *
 * <h2>Local knowledge and what is asked of Redis</h2>
 * {@link #topics}, {@link #subscriberCount}, {@link #events()} and the meta messages under
 * {@code Hub.addedSubscriber.<topic>} / {@code Hub.removedSubscriber.<topic>} describe <em>this hub's</em>
 * subscribers (a subscriber counts once Redis confirmed its subscription and the connection is ready for publishes,
 * so a publish made after that is sent and reaches it);
 * the meta messages are delivered to this hub's subscribers only, never published to Redis. What Redis knows of all
 * clients is asked with {@link #count(Key...)} ({@code PUBSUB NUMSUB}) and {@link #channels(Key)}
 * ({@code PUBSUB CHANNELS}), as {@code Mono}s.
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and non-blocking. Messages are signalled on Lettuce's event loop (the connection's
 * thread): subscribers must not block there ({@code publishOn} a scheduler for slow work). Status changes are
 * signalled on the thread that caused them.
 */
public final class RedisHub implements Hub {

    private final Connector connector;
    private final Subscriptions subscriptions;
    private final Publisher publisher;
    private final RedisQueries queries;
    private final SubscribeOptions subscribeDefaults;
    private final String name;

    private RedisHub(Backend backend, Codec<?> codec, RedisHubOptions options) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        ChannelNames names = new ChannelNames(options.namespace());
        this.name = backend.name();
        this.subscribeDefaults = options.subscribeDefaults();
        Payloads payloads = new Payloads(codec, options.maxMessageBytes(), names, name);
        this.connector = new Connector(backend, options);
        this.subscriptions = new Subscriptions(connector, backend, options, names, payloads);
        this.publisher = new Publisher(connector, subscriptions, payloads, names, backend.cluster(),
                options.clusterPatterns());
        this.queries = new RedisQueries(connector, names, backend.cluster());
        connector.start(subscriptions, new Arrivals(subscriptions, payloads, names, name));
    }

    // ------------------------------------------------------------------------------------------------- factories

    /**
     * Creates a hub on the Redis server at {@code uri} ({@code redis://host:port}, {@code rediss://...} for TLS,
     * {@code redis://password@host:port/0}...); connecting starts now, in the background. The hub owns the Lettuce
     * client it creates and shuts it down on {@link #close()}. Its commands time out after the URI's timeout
     * ({@code ?timeout=5s}; Lettuce's default is 60 s), except publishes: each gives its place in the in-flight window
     * back when Redis answers or the connection ends, so it needs no timer of its own (one per publish would cost
     * the publishing path a timer entry created and cancelled every time).
     *
     * @param uri the server, in Lettuce's URI syntax
     * @param codec encodes and decodes payloads (every hub on the channels must use the same format)
     * @param options namespace, limits, back-off
     * @param <T> the payload type
     * @return the hub, {@link ConnectionStatus#CONNECTING}
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static <T> RedisHub create(String uri, Codec<T> codec, RedisHubOptions options) {
        RedisURI redisUri = RedisURI.create(Objects.requireNonNull(uri, "uri"));
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder().autoReconnect(false).timeoutOptions(TimeoutOptions.builder()
                .timeoutSource(new PublishCommand.Timeouts(redisUri.getTimeout())).build()).build());
        return new RedisHub(Backend.standalone(client, redisUri, true), codec, options);
    }

    /**
     * Creates a hub on a server through a client you configured (TLS, client resources, timeouts): the escape hatch.
     * The client stays yours: {@link #close()} closes the hub's connections, not the client. The hub reconnects
     * itself, so the client's own automatic reconnection is never used for its connections.
     *
     * @param client the Lettuce client
     * @param uri the server
     * @param codec encodes and decodes payloads
     * @param options namespace, limits, back-off
     * @param <T> the payload type
     * @return the hub, {@link ConnectionStatus#CONNECTING}
     */
    public static <T> RedisHub create(RedisClient client, RedisURI uri, Codec<T> codec, RedisHubOptions options) {
        return new RedisHub(Backend.standalone(Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(uri, "uri"), false), codec, options);
    }

    /**
     * Creates a hub on a Redis Cluster: exact keys use sharded pub/sub ({@code SSUBSCRIBE} / {@code SPUBLISH}),
     * patterns classic {@code PSUBSCRIBE} (see {@link RedisHubOptions#clusterPatterns(boolean)}). The client stays
     * yours: {@link #close()} closes the hub's connections, not the client. Reconnection to a node and topology
     * changes inside the cluster connections are the client's (Lettuce's); the hub reconnects when one of its
     * connections is closed. Blocks while it loads the cluster's topology, if the client has not yet: call it where
     * blocking is allowed (not on a Reactor or Netty thread), like Lettuce's own {@code connect()}.
     *
     * @param client the cluster client, with its seed nodes
     * @param codec encodes and decodes payloads
     * @param options namespace, limits, back-off, cluster patterns
     * @param <T> the payload type
     * @return the hub, {@link ConnectionStatus#CONNECTING}
     */
    public static <T> RedisHub createCluster(RedisClusterClient client, Codec<T> codec, RedisHubOptions options) {
        Objects.requireNonNull(client, "client");
        client.getPartitions(); // Lettuce's asynchronous connects need the topology loaded: this loads it once
        return new RedisHub(Backend.cluster(client, String.valueOf(client), false), codec, options);
    }

    // ------------------------------------------------------------------------------------------------- subscribing

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern) {
        return subscribe(pattern, subscribeDefaults);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first subscriber of a key or pattern makes the hub subscribe at Redis; the subscriber counts (in
     * {@link #subscriberCount} and {@link #events()}) once Redis confirmed it and the connection is ready for
     * publishes (after a reconnection, once every subscription is confirmed again). A subscriber of a replay topic
     * first receives the topic's last {@code n} stream entries. Messages that cannot be decoded, or larger than
     * {@link RedisHubOptions#maxMessageBytes()}, end the subscribers they reached with a {@link RedisHubException}.
     * In cluster mode with {@code clusterPatterns(false)}, a pattern fails at once with a {@link RedisHubException}.
     */
    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions subscribeOptions) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subscribeOptions, "options");
        return subscriptions.subscribe(pattern, subscribeOptions);
    }

    // ------------------------------------------------------------------------------------------------ publishing

    /**
     * {@inheritDoc}
     *
     * @return {@link PublishResult#SENT} when the command was written (Redis's reply is not awaited),
     *     {@link PublishResult#DISCONNECTED} when not connected, {@link PublishResult#BACK_PRESSURED} when
     *     {@link RedisHubOptions#maxInFlight()} publishes await their reply, {@link PublishResult#CLOSED} after
     *     {@link #close()}; how many subscribers received it is not known here (see {@link #publishAndCount})
     * @throws RedisHubException ({@link RedisHubException.Reason#TOO_LARGE}) when the encoded payload exceeds
     *     {@link RedisHubOptions#maxMessageBytes()}: nothing is sent
     * @throws IllegalArgumentException when the codec rejects the payload (e.g. a payload of another type)
     */
    @Override
    public PublishResult publish(Key key, Object payload) {
        return publisher.publish(key, payload);
    }

    /**
     * Publishes and tells how many clients Redis delivered the message to (on one server: every receiving
     * connection, of any process, including this hub's own pub/sub connection if it subscribes; in a cluster: the
     * shard's sharded subscribers plus, with patterns enabled, the pattern subscribers of the node that received
     * the {@code PUBLISH}). Not limited by {@link RedisHubOptions#maxInFlight()}: each Mono awaits its reply.
     *
     * <pre>{@code
     * hub.publishAndCount(Key.parse("news.tech"), "hello").subscribe(n -> log.info("{} receivers", n));
     * }</pre>
     *
     * @param key a concrete key
     * @param payload the payload
     * @return a lazy Mono of the receiver count; errors with {@link RedisHubException} ({@code NOT_CONNECTED},
     *     {@code TOO_LARGE}), or {@link IllegalStateException} when the hub is closed
     * @throws io.github.reactivepubsub.InvalidKeyException when the key is a pattern
     */
    public Mono<Long> publishAndCount(Key key, Object payload) {
        return publisher.publishAndCount(key, payload);
    }

    // ---------------------------------------------------------------------------------- what Redis knows (PUBSUB)

    /**
     * Asks Redis how many subscribers each key's channel has, over all clients (pulsar's {@code count}):
     * {@code PUBSUB NUMSUB}, or {@code PUBSUB SHARDNUMSUB} in cluster mode. Pattern subscribers are not counted
     * (Redis counts them apart).
     *
     * <pre>{@code
     * hub.count(Key.parse("news.tech")).subscribe(counts -> System.out.println(counts)); // {news.tech=3}
     * }</pre>
     *
     * @param keys concrete keys
     * @return a lazy Mono of the counts, in the order of {@code keys}; errors with {@link RedisHubException}
     *     ({@code NOT_CONNECTED})
     * @throws io.github.reactivepubsub.InvalidKeyException when a key is a pattern
     */
    public Mono<Map<Key, Long>> count(Key... keys) {
        return queries.count(keys);
    }

    /**
     * Asks Redis which channels of this namespace have at least one subscriber and match a pattern (pulsar's
     * {@code channels}): {@code PUBSUB CHANNELS <glob>} ({@code SHARDCHANNELS} in cluster mode), filtered with our
     * rules; channels that are not keys are left out.
     *
     * @param pattern a key or pattern ({@code **} for all)
     * @return a lazy Mono of the keys, sorted by their dotted form; errors with {@link RedisHubException}
     *     ({@code NOT_CONNECTED})
     */
    public Mono<List<Key>> channels(Key pattern) {
        return queries.channels(pattern);
    }

    // ------------------------------------------------------------------------------------- declare, introspection

    /**
     * {@inheritDoc}
     *
     * <p>With {@code replay(n)}, n &gt; 0, the key's messages published by this hub also go to a Redis Stream named
     * like the channel ({@code XADD MAXLEN ~ n}), and this hub's subscribers of exactly the key read it: first its
     * last {@code n} entries, then the later ones (see the class documentation). The stream stays in Redis after the
     * handle is disposed. With {@code replay(0)} the topic is only kept listed in {@link #topics}.
     *
     * @throws IllegalArgumentException when replay is asked for a pattern (a stream belongs to one channel)
     */
    @Override
    public Disposable declare(Key pattern, TopicOptions topicOptions) {
        Objects.requireNonNull(topicOptions, "options");
        return subscriptions.declare(pattern, topicOptions);
    }

    /** {@inheritDoc} Local knowledge: this hub's subscribed and declared topics. */
    @Override
    public List<Key> topics(Key query) {
        return subscriptions.topics(query);
    }

    /**
     * {@inheritDoc} Local knowledge: the options this hub's topic was declared (or subscribed) with here; another
     * hub's declarations of the same key are not visible.
     */
    @Override
    public Optional<TopicOptions> topicOptions(Key topic) {
        return subscriptions.topicOptions(topic);
    }

    /**
     * {@inheritDoc} Local knowledge: this hub's subscribers of the topic whose Redis subscription is confirmed on a
     * connection ready for publishes (a publish made after they count is sent and reaches them). Redis's count over
     * all clients: {@link #count(Key...)}.
     */
    @Override
    public int subscriberCount(Key topic) {
        return subscriptions.subscriberCount(topic);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Local knowledge: this hub's subscribers joining (once confirmed by Redis) and leaving; they are also
     * delivered as meta messages under {@code Hub.addedSubscriber.<topic>} / {@code Hub.removedSubscriber.<topic>} to
     * this hub's matching subscribers (not through Redis). Buffered per subscriber with
     * {@link RedisHubOptions#subscribeDefaults()}.
     */
    @Override
    public Flux<HubEvent> events() {
        return subscriptions.events();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Local knowledge, always counted: every outcome of {@link #publish} (not {@link #publishAndCount}); the
     * message copies handed to this hub's subscribers' buffers (one per subscriber per message arriving from Redis or
     * read from a replay stream); the drops of their buffers by overflow policy (each subscriber's buffer counts a
     * drop, then calls the subscriber's own {@link SubscribeOptions#onDrop} listener); this hub's topics, subscribers
     * and fullest buffer. What other clients publish, receive or drop is not seen here: Redis counts all clients
     * ({@link #count(Key...)}, {@code INFO}). Per-topic figures only for the topics the caller asks for
     * ({@link HubStats#topic(Key)}).
     *
     * <p>Cost: striped counters ({@link java.util.concurrent.atomic.LongAdder}) on the publishing thread and on
     * Lettuce's event loop, one add per outcome, per message arriving for a topic and per drop; never blocking. The
     * current figures are computed when read ({@link HubStats#bufferFillMax()} lists the buffers under the hub lock
     * and reads each): read them at a scraping pace.
     *
     * @return this hub's figures (the same instance on every call); thread-safe
     */
    @Override
    public HubStats stats() {
        return subscriptions.stats();
    }

    @Override
    public Flux<ConnectionStatus> status() {
        return connector.status();
    }

    /** @return the current status */
    public ConnectionStatus currentStatus() {
        return connector.currentStatus();
    }

    /**
     * Completes once connected (at once when connected now); errors with an {@link IllegalStateException} if the hub
     * closes before.
     *
     * @return a lazy Mono
     */
    public Mono<Void> connected() {
        return status().filter(s -> s == ConnectionStatus.CONNECTED || s == ConnectionStatus.CLOSED).next()
                .switchIfEmpty(Mono.just(ConnectionStatus.CLOSED))
                .flatMap(s -> s == ConnectionStatus.CONNECTED ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("redis hub " + name + " closed before connecting")));
    }

    /**
     * Closes the hub: every subscriber completes after the messages already in its buffer, later publishes return
     * {@link PublishResult#CLOSED}, reconnecting stops, the connections close (publishes already written are sent
     * by Lettuce first), and {@link #status()} ends with {@link ConnectionStatus#CLOSED} once they did (and the
     * client is shut down, when the hub created it). Idempotent, never blocks.
     */
    @Override
    public void close() {
        connector.close(subscriptions::endAll);
    }

    @Override
    public boolean isClosed() {
        return connector.isClosed();
    }

    @Override
    public String toString() {
        return "RedisHub[" + name + ", " + connector.currentStatus() + ", " + subscriptions.size() + " topics]";
    }

    /** @return how many publishes of the current connection await Redis's reply now (tests) */
    int inFlight() {
        Link l = connector.link();
        return l == null ? 0 : l.writer.inFlight();
    }

    /** @return the reconnection delay after {@code failures} failures in a row, for a random value (tests) */
    Duration backoff(int failures, double random) {
        return connector.backoff(failures, random);
    }
}
