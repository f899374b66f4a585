package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.BoundedBuffer;
import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

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
 * subscribers (a subscriber counts once Redis confirmed its subscription, so a publish made after that reaches it);
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

    private static final Logger LOG = Loggers.getLogger(RedisHub.class);

    /** The stream entry field holding the payload. */
    static final String PAYLOAD_FIELD = "p";
    /** Entries read from a stream at a time. */
    private static final int STREAM_BATCH = 512;

    private static final String XADD = "redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])\n";
    private static final String STREAM_PUBLISH = XADD + "return redis.call('PUBLISH', KEYS[1], ARGV[2])";
    private static final String STREAM_SPUBLISH = XADD + "return redis.call('SPUBLISH', KEYS[1], ARGV[2])";
    private static final String STREAM_SPUBLISH_AND_PUBLISH = XADD
            + "return redis.call('SPUBLISH', KEYS[1], ARGV[2]) + redis.call('PUBLISH', KEYS[1], ARGV[2])";

    private final Backend backend;
    private final Codec<Object> codec;
    private final RedisHubOptions options;
    private final ChannelNames names;
    private final String name;

    private final Object lock = new Object();
    /** Every topic by pattern; changed under the lock. */
    private final Map<Key, Topic> topics = new ConcurrentHashMap<>();
    /** Plain exact topics by channel (routing of SUBSCRIBE / SSUBSCRIBE arrivals); changed under the lock. */
    private final Map<String, Topic> byChannel = new ConcurrentHashMap<>();
    /** Plain pattern topics by glob (routing of PSUBSCRIBE arrivals); arrays replaced under the lock. */
    private final Map<String, Topic[]> byGlob = new ConcurrentHashMap<>();
    /** Redis subscriptions by {@link RedisSubscription#id}; under the lock. */
    private final Map<String, RedisSubscription> subscriptions = new HashMap<>();
    /** Replay count of every key declared with replay; changed under the lock, read by publish. */
    private final Map<Key, Integer> declaredReplay = new ConcurrentHashMap<>();

    private final Sinks.Many<HubEvent> eventSink = Sinks.unsafe().many().multicast().directBestEffort();
    /** Events recorded under the lock in the order of the changes, emitted by {@link #drainEvents()}. */
    private final Queue<HubEvent> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outboxWip = new AtomicInteger();

    private final Sinks.Many<ConnectionStatus> statusSink = Sinks.many().replay().latest();
    private final Object statusLock = new Object();
    private final Disposable.Swap attempt = Disposables.swap();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BiConsumer<Object, Throwable> released = (result, error) -> inFlight.decrementAndGet();

    private volatile ConnectionStatus status = ConnectionStatus.CONNECTING;
    /** The current connections; null while disconnected. Written under the lock. */
    private volatile @Nullable Link link;
    private volatile boolean closed;
    /** Connection loop only (its steps never overlap). */
    private int failures;
    private boolean attempted;
    private int generations;

    @SuppressWarnings("unchecked")
    private RedisHub(Backend backend, Codec<?> codec, RedisHubOptions options) {
        this.backend = backend;
        this.codec = (Codec<Object>) Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        this.names = new ChannelNames(options.namespace());
        this.name = backend.name();
        statusSink.tryEmitNext(ConnectionStatus.CONNECTING);
        connect();
    }

    // ------------------------------------------------------------------------------------------------- factories

    /**
     * Creates a hub on the Redis server at {@code uri} ({@code redis://host:port}, {@code rediss://...} for TLS,
     * {@code redis://password@host:port/0}...); connecting starts now, in the background. The hub owns the Lettuce
     * client it creates and shuts it down on {@link #close()}.
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
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
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

    // ------------------------------------------------------------------------------------------- connection loop

    private void connect() {
        if (closed) {
            return;
        }
        setStatus(attempted ? ConnectionStatus.RECONNECTING : ConnectionStatus.CONNECTING);
        attempted = true;
        int generation = ++generations;
        CompletableFuture<? extends StatefulRedisPubSubConnection<String, byte[]>> pubsub = backend.connectPubSub();
        CompletableFuture<Backend.Commands> commands = backend.connectCommands();
        CompletableFuture.allOf(pubsub, commands).whenComplete((ignored, error) -> {
            if (error != null) {
                pubsub.thenAccept(StatefulConnection::closeAsync);
                commands.thenAccept(c -> c.connection().closeAsync());
                failed(null, error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            activate(new Link(generation, Objects.requireNonNull(pubsub.getNow(null)),
                    Objects.requireNonNull(commands.getNow(null))));
        });
    }

    private void activate(Link l) {
        List<CompletableFuture<?>> resubscribed = new ArrayList<>();
        List<Topic> streams = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                l.close();
                return;
            }
            link = l;
            l.pubsub.addListener((RedisPubSubListener<String, byte[]>) l);
            l.pubsub.addListener((RedisConnectionStateListener) l);
            l.commands.connection().addListener((RedisConnectionStateListener) l);
            for (RedisSubscription s : subscriptions.values()) {
                resubscribed.add(sendSubscribe(l, s));
            }
            for (Topic t : topics.values()) {
                if (t.isStream() && !t.members.isEmpty()) {
                    streams.add(t);
                }
            }
        }
        if (!l.pubsub.isOpen() || !l.commands.connection().isOpen()) {
            failed(l, new IllegalStateException("connection to " + name + " closed while connecting"));
            return;
        }
        CompletableFuture.allOf(resubscribed.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
            if (error != null) {
                LOG.warn("redis {}: a subscription was not confirmed ({}); going on", name, error.toString());
            }
            if (link != l || l.dead) {
                return;
            }
            l.ready = true;
            failures = 0;
            LOG.debug("connected to redis {}", name);
            setStatus(ConnectionStatus.CONNECTED);
            for (Topic t : streams) {
                startStream(t, l);
            }
        });
    }

    /** A connection attempt failed ({@code l} null) or a connection of link {@code l} was lost. */
    private void failed(@Nullable Link l, Throwable error) {
        synchronized (lock) {
            if (l != null) {
                if (l.dead) {
                    return;
                }
                l.dead = true;
                if (link == l) {
                    link = null;
                }
            }
        }
        if (l != null) {
            for (Topic t : topics.values()) {
                StatefulConnection<String, byte[]> reader = t.reader;
                if (reader != null && l.readers.contains(reader)) {
                    t.reader = null; // a new one starts on the next link, from the last id delivered
                }
            }
            l.close();
        }
        if (closed) {
            return;
        }
        Duration delay = backoff(failures++, ThreadLocalRandom.current().nextDouble());
        if (l != null) {
            LOG.warn("connection to redis {} lost ({}); reconnecting in {} ms", name, error.toString(),
                    delay.toMillis());
        } else {
            LOG.debug("connecting to redis {} failed ({}); retrying in {} ms", name, error.toString(),
                    delay.toMillis());
        }
        setStatus(ConnectionStatus.DISCONNECTED);
        attempt.update(Mono.delay(delay, options.scheduler()).subscribe(tick -> connect()));
    }

    /**
     * @param failures failures in a row so far, from 0
     * @param random a value in {@code [0, 1)}
     * @return {@code min(max, min * 2^failures)}, varied by the jitter and kept within {@code [min, max]}
     */
    Duration backoff(int failures, double random) {
        long min = options.minBackoff().toNanos();
        long max = options.maxBackoff().toNanos();
        long base = max;
        if (failures < 62 && min <= (max >> failures)) {
            base = Math.min(max, min << failures);
        }
        long nanos = (long) (base * (1 + options.jitter() * (2 * random - 1)));
        return Duration.ofNanos(Math.max(min, Math.min(max, nanos)));
    }

    private void setStatus(ConnectionStatus next) {
        synchronized (statusLock) {
            if (status == next || status == ConnectionStatus.CLOSED) {
                return;
            }
            status = next;
            statusSink.tryEmitNext(next);
            if (next == ConnectionStatus.CLOSED) {
                statusSink.tryEmitComplete();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- subscribing

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern) {
        return subscribe(pattern, options.subscribeDefaults());
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first subscriber of a key or pattern makes the hub subscribe at Redis; the subscriber counts (in
     * {@link #subscriberCount} and {@link #events()}) once Redis confirmed it. A subscriber of a replay topic first
     * receives the topic's last {@code n} stream entries. Messages that cannot be decoded, or larger than
     * {@link RedisHubOptions#maxMessageBytes()}, end the subscribers they reached with a {@link RedisHubException}.
     * In cluster mode with {@code clusterPatterns(false)}, a pattern fails at once with a {@link RedisHubException}.
     */
    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions subscribeOptions) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subscribeOptions, "options");
        return new TopicFlux<>(pattern, subscribeOptions);
    }

    /** Each Reactive Streams subscriber joins the topic as one member. */
    private final class TopicFlux<T> extends Flux<Message<T>> {

        private final Key pattern;
        private final SubscribeOptions subscribeOptions;

        TopicFlux(Key pattern, SubscribeOptions subscribeOptions) {
            this.pattern = pattern;
            this.subscribeOptions = subscribeOptions;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void subscribe(CoreSubscriber<? super Message<T>> actual) {
            Topic.Member member;
            synchronized (lock) {
                if (closed) {
                    Operators.complete(actual);
                    return;
                }
                Topic topic;
                try {
                    topic = topicLocked(pattern, 0, false);
                } catch (RuntimeException e) {
                    Operators.error(actual, e);
                    return;
                }
                member = new Topic.Member(topic, subscribeOptions);
                topic.members.add(member);
            }
            Topic topic = member.topic;
            Sinks.Many<Message<Object>> source = topic.isStream() ? member.sink : topic.sink;
            Flux<Message<Object>> flux = Objects.requireNonNull(source).asFlux()
                    .doFinally(signal -> left(member))
                    .transform(BoundedBuffer.of(topic.name, subscribeOptions));
            flux.subscribe((CoreSubscriber<? super Message<Object>>) (CoreSubscriber<?>) actual);
            synchronized (lock) {
                member.attached = true;
                if (!member.left && topic.confirmed && !topic.isStream()) {
                    countLocked(member);
                }
            }
            drainEvents();
            Link l = link;
            if (topic.isStream() && l != null && l.ready) {
                startStream(topic, l);
            }
        }
    }

    /**
     * The topic of a pattern, created if needed. Under the lock.
     *
     * @param replay the replay count for a declaration, 0 for a subscriber (which joins whatever topic is there)
     * @param declaring whether a declaration asks (then the replay count must match an existing topic's)
     */
    private Topic topicLocked(Key pattern, int replay, boolean declaring) {
        Topic topic = topics.get(pattern);
        if (topic != null) {
            if (declaring && topic.replay != replay) {
                throw new IllegalStateException("topic '" + pattern + "' is already active with replay "
                        + topic.replay + "; cannot declare it with replay " + replay);
            }
            return topic;
        }
        if (replay > 0) {
            topic = new Topic(pattern, replay, names.channel(pattern), null);
        } else if (pattern.isPattern()) {
            if (backend.cluster() && !options.clusterPatterns()) {
                throw new RedisHubException(RedisHubException.Reason.UNSUPPORTED, "cannot subscribe to pattern '"
                        + pattern + "' on redis " + name + ": patterns are disabled in cluster mode"
                        + " (RedisHubOptions.clusterPatterns(false)); subscribe to exact keys");
            }
            String glob = names.glob(pattern);
            RedisSubscription s = acquireLocked(RedisSubscription.Kind.PATTERN, glob);
            topic = new Topic(pattern, 0, glob, s);
            s.topics.add(topic);
            Topic[] current = byGlob.get(glob);
            Topic[] next = current == null ? new Topic[1] : Arrays.copyOf(current, current.length + 1);
            next[next.length - 1] = topic;
            byGlob.put(glob, next);
            topic.confirmed = s.confirmed;
        } else {
            String channel = names.channel(pattern);
            RedisSubscription s = acquireLocked(backend.cluster() ? RedisSubscription.Kind.SHARD
                    : RedisSubscription.Kind.CHANNEL, channel);
            topic = new Topic(pattern, 0, channel, s);
            s.topics.add(topic);
            byChannel.put(channel, topic);
            topic.confirmed = s.confirmed;
        }
        topics.put(pattern, topic);
        return topic;
    }

    private RedisSubscription acquireLocked(RedisSubscription.Kind kind, String redisName) {
        String id = RedisSubscription.id(kind, redisName);
        RedisSubscription s = subscriptions.get(id);
        if (s == null) {
            s = new RedisSubscription(kind, redisName);
            subscriptions.put(id, s);
            Link l = link;
            if (l != null) {
                sendSubscribe(l, s);
            }
        }
        return s;
    }

    /** Sends a subscription on a link; under the lock (so that commands keep the order of the changes). */
    private CompletableFuture<Void> sendSubscribe(Link l, RedisSubscription s) {
        RedisPubSubAsyncCommands<String, byte[]> commands = l.pubsub.async();
        RedisFuture<Void> sent = switch (s.kind) {
            case CHANNEL -> commands.subscribe(s.name);
            case SHARD -> commands.ssubscribe(s.name);
            case PATTERN -> commands.psubscribe(s.name);
        };
        CompletableFuture<Void> future = sent.toCompletableFuture();
        future.whenComplete((v, error) -> {
            if (error == null) {
                confirmed(l, s);
            } else {
                LOG.debug("redis {}: {} failed: {}", name, s, error.toString());
            }
        });
        return future;
    }

    private void sendUnsubscribe(Link l, RedisSubscription s) {
        RedisPubSubAsyncCommands<String, byte[]> commands = l.pubsub.async();
        switch (s.kind) {
            case CHANNEL -> commands.unsubscribe(s.name);
            case SHARD -> commands.sunsubscribe(s.name);
            case PATTERN -> commands.punsubscribe(s.name);
        }
    }

    /** Redis confirmed a subscription: its topics count their subscribers from now on. */
    private void confirmed(Link l, RedisSubscription s) {
        synchronized (lock) {
            if (s.released || l.dead || s.confirmed) {
                return;
            }
            s.confirmed = true;
            for (Topic t : s.topics) {
                t.confirmed = true;
                for (Topic.Member m : t.members) {
                    if (m.attached && !m.left && !m.counted) {
                        countLocked(m);
                    }
                }
            }
        }
        drainEvents();
    }

    private void countLocked(Topic.Member m) {
        m.counted = true;
        Topic t = m.topic;
        t.subscribers++;
        outbox.add(new HubEvent.Added(t.pattern, t.subscribers));
    }

    /** A member terminated (cancel, error, completion, overflow). */
    private void left(Topic.Member m) {
        Topic t = m.topic;
        synchronized (lock) {
            if (m.left) {
                return;
            }
            m.left = true;
            t.members.remove(m);
            if (m.counted) {
                t.subscribers--;
                outbox.add(new HubEvent.Removed(t.pattern, t.subscribers));
            }
            removeIfUnusedLocked(t);
        }
        if (t.isStream()) {
            synchronized (t) {
                t.live.remove(m);
                t.waiting.remove(m);
                m.pending = null;
            }
        }
        drainEvents();
    }

    private void removeIfUnusedLocked(Topic t) {
        if (t.members.isEmpty() && t.declarations == 0 && !t.removed) {
            removeLocked(t);
        }
    }

    /** Removes a topic from the tables and withdraws its Redis subscription when no other topic uses it. */
    private void removeLocked(Topic t) {
        t.removed = true;
        topics.remove(t.pattern, t);
        RedisSubscription s = t.subscription;
        if (s == null) {
            stopStream(t);
            return;
        }
        if (s.kind == RedisSubscription.Kind.PATTERN) {
            Topic[] current = byGlob.get(s.name);
            if (current != null) {
                Topic[] next = Arrays.stream(current).filter(x -> x != t).toArray(Topic[]::new);
                if (next.length == 0) {
                    byGlob.remove(s.name);
                } else {
                    byGlob.put(s.name, next);
                }
            }
        } else {
            byChannel.remove(s.name, t);
        }
        s.topics.remove(t);
        if (s.topics.isEmpty()) {
            s.released = true;
            subscriptions.remove(RedisSubscription.id(s.kind, s.name));
            Link l = link;
            if (l != null) {
                sendUnsubscribe(l, s);
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- arrivals

    /** A message of a channel (SUBSCRIBE) or shard channel (SSUBSCRIBE), on the pub/sub connection's thread. */
    private void onChannelMessage(String channel, byte[] bytes) {
        Topic t = byChannel.get(channel);
        if (t == null) {
            return; // withdrawn meanwhile
        }
        Object payload;
        try {
            payload = decode(channel, bytes);
        } catch (RedisHubException e) {
            failTopic(t, e);
            return;
        }
        t.emit(new Message<>(t.pattern, payload));
    }

    /** A message of a glob (PSUBSCRIBE): filtered with our rules for each topic of the glob. */
    private void onPatternMessage(String glob, String channel, byte[] bytes) {
        Topic[] candidates = byGlob.get(glob);
        if (candidates == null) {
            return;
        }
        Key key = names.key(channel);
        if (key == null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("redis {}: ignored a message on channel '{}': not a key of namespace '{}'", name,
                        ChannelNames.printable(channel), ChannelNames.printable(names.namespace()));
            }
            return;
        }
        Message<Object> message = null;
        for (Topic t : candidates) {
            if (!t.pattern.matches(key)) {
                continue; // Redis's '*' crossed a dot, or '**' matched a longer first segment
            }
            if (message == null) {
                try {
                    message = new Message<>(key, decode(channel, bytes));
                } catch (RedisHubException e) {
                    for (Topic failing : candidates) {
                        if (failing.pattern.matches(key)) {
                            failTopic(failing, e);
                        }
                    }
                    return;
                }
            }
            t.emit(message);
        }
    }

    private Object decode(String channel, byte[] bytes) {
        if (bytes.length > options.maxMessageBytes()) {
            throw new RedisHubException(RedisHubException.Reason.TOO_LARGE, "message of " + bytes.length
                    + " bytes on channel '" + ChannelNames.printable(channel) + "' of redis " + name
                    + " exceeds maxMessageBytes " + options.maxMessageBytes() + "; not decoded");
        }
        try {
            return codec.decode(ByteBuffer.wrap(bytes));
        } catch (RuntimeException e) {
            Exceptions.throwIfJvmFatal(e);
            throw new RedisHubException(RedisHubException.Reason.UNDECODABLE, "payload of " + bytes.length
                    + " bytes on channel '" + ChannelNames.printable(channel) + "' of redis " + name
                    + " cannot be decoded by codec " + codec + ": "
                    + ChannelNames.printable(String.valueOf(e.getMessage())), e);
        }
    }

    /** Ends a plain topic's members with an error; the topic goes (a new subscriber starts a new one). */
    private void failTopic(Topic t, RuntimeException error) {
        synchronized (lock) {
            if (!t.removed) {
                removeLocked(t);
            }
        }
        t.fail(error);
    }

    // ----------------------------------------------------------------------------------------- stream topics

    /**
     * Starts or resumes a stream topic on a link: finds the stream's position if unknown, starts the reader if none
     * runs, and reads the tail of every member still waiting for it.
     */
    private void startStream(Topic t, Link l) {
        boolean findPosition = false;
        boolean startReader = false;
        List<Topic.Member> tails = new ArrayList<>();
        String joinedAt = null;
        synchronized (t) {
            if (t.removed || l.dead) {
                return;
            }
            if (t.lastId == null) {
                if (!t.starting) {
                    t.starting = true;
                    findPosition = true;
                }
                for (Topic.Member m : t.members) {
                    if (!m.left && !t.waiting.contains(m) && !t.live.contains(m)) {
                        t.waiting.add(m);
                    }
                }
            } else {
                startReader = t.reader == null;
                for (Topic.Member m : t.members) {
                    if (!m.left && !t.live.contains(m)) {
                        tails.add(m);
                    }
                }
                t.waiting.clear();
                joinedAt = t.lastId; // they collect every entry after it: their tail ends there
                for (Topic.Member m : tails) {
                    if (m.pending == null) {
                        m.pending = new ArrayDeque<>();
                    }
                    t.live.add(m);
                }
            }
        }
        if (findPosition) {
            l.commands.async().xrevrange(t.redisName, Range.create("-", "+"), Limit.from(1))
                    .whenComplete((entries, error) -> {
                        synchronized (t) {
                            t.starting = false;
                            if (error == null && t.lastId == null) {
                                t.lastId = entries.isEmpty() ? "0-0" : entries.get(0).getId();
                            }
                        }
                        if (error != null) {
                            failed(l, error);
                        } else {
                            startStream(t, l);
                        }
                    });
            return;
        }
        if (startReader) {
            startReader(t, l);
        }
        for (Topic.Member m : tails) {
            readTail(t, m, l, Objects.requireNonNull(joinedAt));
        }
    }

    /**
     * Reads a member's tail: the last {@code replay} entries up to {@code upTo}, the last entry delivered when it
     * joined the live entries (it collects every later one meanwhile), so that nothing is missed or seen twice.
     */
    private void readTail(Topic t, Topic.Member m, Link l, String upTo) {
        l.commands.async().xrevrange(t.redisName, Range.create("-", upTo),
                Limit.from(t.replay)).whenComplete((entries, error) -> {
                    if (error != null) {
                        synchronized (t) {
                            t.live.remove(m); // read again, from a later position, on the next connection
                            m.pending = null;
                        }
                        failed(l, error);
                        return;
                    }
                    boolean delivered = false;
                    synchronized (t) {
                        ArrayDeque<Message<Object>> pending = m.pending;
                        if (m.left || pending == null || !t.live.contains(m)) {
                            return;
                        }
                        Sinks.Many<Message<Object>> sink = Objects.requireNonNull(m.sink);
                        try {
                            for (int i = entries.size() - 1; i >= 0; i--) {
                                sink.tryEmitNext(entryMessage(t, entries.get(i)));
                            }
                        } catch (RedisHubException e) {
                            t.live.remove(m);
                            m.pending = null;
                            m.fail(e);
                            return;
                        }
                        for (Message<Object> message : pending) {
                            sink.tryEmitNext(message);
                        }
                        m.pending = null;
                        delivered = true;
                    }
                    if (delivered) {
                        synchronized (lock) {
                            if (m.attached && !m.left && !m.counted) {
                                countLocked(m);
                            }
                        }
                        drainEvents();
                    }
                });
    }

    private Message<Object> entryMessage(Topic t, StreamMessage<String, byte[]> entry) {
        byte[] bytes = entry.getBody().get(PAYLOAD_FIELD);
        if (bytes == null) {
            throw new RedisHubException(RedisHubException.Reason.UNDECODABLE, "entry "
                    + ChannelNames.printable(entry.getId()) + " of stream '" + ChannelNames.printable(t.redisName)
                    + "' of redis " + name + " has no field '" + PAYLOAD_FIELD + "' holding the payload");
        }
        return new Message<>(t.pattern, decode(t.redisName, bytes));
    }

    private void startReader(Topic t, Link l) {
        backend.connectCommands().whenComplete((commands, error) -> {
            if (error != null) {
                failed(l, error);
                return;
            }
            StatefulConnection<String, byte[]> connection = commands.connection();
            synchronized (t) {
                if (t.removed || l.dead || closed || t.reader != null) {
                    connection.closeAsync();
                    return;
                }
                t.reader = connection;
                l.readers.add(connection);
            }
            if (l.dead) {
                connection.closeAsync();
                return;
            }
            read(t, l, commands);
        });
    }

    @SuppressWarnings("unchecked") // the one StreamOffset of XREAD's varargs
    private void read(Topic t, Link l, Backend.Commands commands) {
        String from;
        synchronized (t) {
            from = t.lastId;
        }
        RedisClusterAsyncCommands<String, byte[]> async = commands.async();
        async.xread(XReadArgs.Builder.block(options.streamBlock()).count(STREAM_BATCH),
                XReadArgs.StreamOffset.from(t.redisName, Objects.requireNonNull(from)))
                .whenComplete((entries, error) -> {
                    synchronized (t) {
                        if (t.reader != commands.connection()) {
                            commands.connection().closeAsync();
                            return;
                        }
                    }
                    if (error != null) {
                        failed(l, error);
                        return;
                    }
                    deliverEntries(t, entries);
                    read(t, l, commands);
                });
    }

    /** New stream entries, in id order, to every live member (collected for those still reading their tail). */
    private void deliverEntries(Topic t, List<StreamMessage<String, byte[]>> entries) {
        synchronized (t) {
            for (StreamMessage<String, byte[]> entry : entries) {
                t.lastId = entry.getId();
                Message<Object> message;
                try {
                    message = entryMessage(t, entry);
                } catch (RedisHubException e) {
                    for (Topic.Member m : t.live) {
                        m.pending = null;
                        m.fail(e);
                    }
                    t.live.clear();
                    continue;
                }
                for (int i = 0; i < t.live.size(); i++) {
                    Topic.Member m = t.live.get(i);
                    ArrayDeque<Message<Object>> pending = m.pending;
                    if (pending == null) {
                        Objects.requireNonNull(m.sink).tryEmitNext(message);
                    } else if (pending.size() < m.options.bufferSize()) {
                        pending.add(message);
                    } else {
                        m.pending = null;
                        t.live.remove(i--);
                        m.fail(new OverflowException(t.name, m.options.bufferSize()));
                    }
                }
            }
        }
    }

    /** Under the lock: the topic is gone, stop reading its stream. */
    private void stopStream(Topic t) {
        StatefulConnection<String, byte[]> reader = t.reader;
        t.reader = null;
        if (reader != null) {
            reader.closeAsync();
        }
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
        Objects.requireNonNull(payload, "payload");
        if (key.isPattern()) {
            key.requireConcrete();
        }
        if (closed) {
            return PublishResult.CLOSED;
        }
        Link l = link;
        if (l == null || !l.ready) {
            return PublishResult.DISCONNECTED;
        }
        if (inFlight.get() >= options.maxInFlight()) {
            return PublishResult.BACK_PRESSURED;
        }
        byte[] bytes = encode(key, payload);
        String channel = names.channel(key);
        RedisClusterAsyncCommands<String, byte[]> async = l.commands.async();
        Integer replay = declaredReplay.isEmpty() ? null : declaredReplay.get(key);
        if (replay != null) {
            inFlight.incrementAndGet();
            streamPublish(async, channel, replay, bytes).whenComplete(released);
        } else if (!backend.cluster()) {
            inFlight.incrementAndGet();
            async.publish(channel, bytes).whenComplete(released);
        } else {
            inFlight.incrementAndGet();
            async.spublish(channel, bytes).whenComplete(released);
            if (options.clusterPatterns()) {
                inFlight.incrementAndGet();
                l.commands.classic().publish(channel, bytes).whenComplete(released);
            }
        }
        return PublishResult.SENT;
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
        Objects.requireNonNull(payload, "payload");
        key.requireConcrete();
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("redis hub " + name + " is closed: cannot publish to '"
                        + key + "'"));
            }
            Link l = link;
            if (l == null || !l.ready) {
                return Mono.error(notConnected("publish to '" + key + "'"));
            }
            byte[] bytes = encode(key, payload);
            String channel = names.channel(key);
            RedisClusterAsyncCommands<String, byte[]> async = l.commands.async();
            Integer replay = declaredReplay.get(key);
            if (replay != null) {
                return Mono.fromCompletionStage(streamPublish(async, channel, replay, bytes));
            }
            if (!backend.cluster()) {
                return Mono.fromCompletionStage(async.publish(channel, bytes));
            }
            Mono<Long> sharded = Mono.fromCompletionStage(async.spublish(channel, bytes));
            return options.clusterPatterns()
                    ? sharded.zipWith(Mono.fromCompletionStage(l.commands.classic().publish(channel, bytes)),
                            Long::sum)
                    : sharded;
        });
    }

    private CompletionStage<Long> streamPublish(RedisClusterAsyncCommands<String, byte[]> async, String stream,
            int replay, byte[] bytes) {
        String script = !backend.cluster() ? STREAM_PUBLISH
                : options.clusterPatterns() ? STREAM_SPUBLISH_AND_PUBLISH : STREAM_SPUBLISH;
        RedisFuture<Long> sent = async.eval(script, ScriptOutputType.INTEGER, new String[] {stream},
                Integer.toString(replay).getBytes(StandardCharsets.US_ASCII), bytes);
        return sent;
    }

    private byte[] encode(Key key, Object payload) {
        byte[] bytes;
        try {
            bytes = codec.encode(payload);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName() + " to '" + key
                    + "' cannot be encoded by codec " + codec + ": " + e.getMessage(), e);
        }
        if (bytes.length > options.maxMessageBytes()) {
            throw new RedisHubException(RedisHubException.Reason.TOO_LARGE, "message to '" + key + "' (channel '"
                    + ChannelNames.printable(names.channel(key)) + "') is " + bytes.length + " bytes encoded by codec "
                    + codec + "; the limit is " + options.maxMessageBytes()
                    + " (RedisHubOptions.maxMessageBytes): not sent");
        }
        return bytes;
    }

    private RedisHubException notConnected(String what) {
        return new RedisHubException(RedisHubException.Reason.NOT_CONNECTED, "cannot " + what + ": redis hub "
                + name + " is " + status);
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
        List<Key> wanted = List.of(keys);
        String[] channels = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            channels[i] = names.channel(keys[i].requireConcrete());
        }
        return Mono.defer(() -> {
            Link l = link;
            if (l == null || !l.ready) {
                return Mono.error(notConnected("count subscribers"));
            }
            Mono<Map<String, Long>> counts;
            if (!backend.cluster()) {
                counts = Mono.fromCompletionStage(l.commands.async().pubsubNumsub(channels));
            } else { // each shard knows its own shard channels only
                counts = Flux.fromArray(channels)
                        .concatMap(c -> Mono.fromCompletionStage(l.commands.shardOf(c).pubsubShardNumsub(c)))
                        .collect(HashMap::new, Map::putAll);
            }
            return counts.map(found -> {
                Map<Key, Long> result = new LinkedHashMap<>();
                for (int i = 0; i < channels.length; i++) {
                    result.put(wanted.get(i), found.getOrDefault(channels[i], 0L));
                }
                return result;
            });
        });
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
        String glob = pattern.isPattern() ? names.glob(pattern) : ChannelNames.escape(names.channel(pattern));
        return Mono.defer(() -> {
            Link l = link;
            if (l == null || !l.ready) {
                return Mono.error(notConnected("list channels"));
            }
            Mono<List<String>> channels = !backend.cluster()
                    ? Mono.fromCompletionStage(l.commands.async().pubsubChannels(glob))
                    : Flux.fromIterable(l.commands.masters()) // each shard knows its own shard channels only
                            .concatMap(m -> Mono.fromCompletionStage(m.pubsubShardChannels(glob)))
                            .collect(ArrayList::new, List::addAll);
            return channels.map(found -> {
                        List<Key> keys = new ArrayList<>();
                        for (String channel : found) {
                            Key key = names.key(channel);
                            if (key != null && pattern.matches(key)) {
                                keys.add(key);
                            }
                        }
                        keys.sort(Comparator.comparing(Key::toString));
                        return keys;
                    });
        });
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
        int replay = topicOptions.replay();
        if (replay > 0 && pattern.isPattern()) {
            throw new IllegalArgumentException("cannot declare pattern '" + pattern + "' with replay " + replay
                    + " on redis " + name + ": replay uses one Redis Stream per channel, so it needs an exact key");
        }
        Topic topic;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("redis hub " + name + " is closed: cannot declare topic '" + pattern
                        + "'");
            }
            topic = topicLocked(pattern, replay, true);
            topic.declarations++;
            if (replay > 0) {
                declaredReplay.put(pattern, replay);
            }
        }
        AtomicBoolean disposed = new AtomicBoolean();
        Topic declared = topic;
        return new Disposable() {
            @Override
            public void dispose() {
                if (disposed.compareAndSet(false, true)) {
                    synchronized (lock) {
                        declared.declarations--;
                        if (declared.declarations == 0 && replay > 0) {
                            declaredReplay.remove(pattern, replay);
                        }
                        removeIfUnusedLocked(declared);
                    }
                }
            }

            @Override
            public boolean isDisposed() {
                return disposed.get();
            }
        };
    }

    /** {@inheritDoc} Local knowledge: this hub's subscribed and declared topics. */
    @Override
    public List<Key> topics(Key query) {
        return query.select(topics.keySet());
    }

    /**
     * {@inheritDoc} Local knowledge: the options this hub's topic was declared (or subscribed) with here; another
     * hub's declarations of the same key are not visible.
     */
    @Override
    public Optional<TopicOptions> topicOptions(Key topic) {
        Topic t = topics.get(topic);
        return t == null || t.removed ? Optional.empty() : Optional.of(TopicOptions.defaults().replay(t.replay));
    }

    /**
     * {@inheritDoc} Local knowledge: this hub's subscribers of the topic whose Redis subscription is confirmed (a
     * publish made after they count reaches them). Redis's count over all clients: {@link #count(Key...)}.
     */
    @Override
    public int subscriberCount(Key topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.subscribers;
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
        return eventSink.asFlux().transform(BoundedBuffer.of("redis hub events of " + name,
                options.subscribeDefaults()));
    }

    /** Emits the recorded events in order, one thread at a time, each also as a meta message to local topics. */
    private void drainEvents() {
        if (outboxWip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            HubEvent event;
            while ((event = outbox.poll()) != null) {
                eventSink.tryEmitNext(event);
                Key meta = (event instanceof HubEvent.Added ? ADDED_SUBSCRIBER : REMOVED_SUBSCRIBER)
                        .concat(event.key());
                Message<Object> message = new Message<>(meta, event);
                for (Topic t : topics.values()) {
                    if (!t.isStream() && t.pattern.matches(meta)) {
                        t.emit(message);
                    }
                }
            }
            if (closed) {
                eventSink.tryEmitComplete();
            }
            missed = outboxWip.addAndGet(-missed);
        } while (missed != 0);
    }

    @Override
    public Flux<ConnectionStatus> status() {
        return statusSink.asFlux();
    }

    /** @return the current status */
    public ConnectionStatus currentStatus() {
        return status;
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
        List<Topic> all;
        Link l;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(topics.values());
            l = link;
            link = null;
            if (l != null) {
                l.dead = true;
            }
        }
        for (Topic t : all) {
            if (t.isStream()) {
                stopStream(t);
            }
        }
        attempt.dispose();
        for (Topic t : all) {
            t.complete();
        }
        drainEvents();
        CompletableFuture<Void> connections = l != null ? l.close() : CompletableFuture.completedFuture(null);
        connections.handle((v, e) -> null)
                .thenCompose(v -> backend.shutdown())
                .whenComplete((v, e) -> setStatus(ConnectionStatus.CLOSED));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "RedisHub[" + name + ", " + status + ", " + topics.size() + " topics]";
    }

    /** @return how many publishes await Redis's reply now (tests) */
    int inFlight() {
        return inFlight.get();
    }

    // -------------------------------------------------------------------------------------------------- the link

    /**
     * One generation of connections: the pub/sub connection, the command connection and the stream readers started
     * on it. Lost as a whole: when any of them closes or fails, all of them are closed and a new link is made.
     */
    private final class Link extends RedisPubSubAdapter<String, byte[]> implements RedisConnectionStateListener {

        final int generation;
        final StatefulRedisPubSubConnection<String, byte[]> pubsub;
        final Backend.Commands commands;
        final List<StatefulConnection<String, byte[]>> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Every subscription is confirmed: publishing may start. */
        volatile boolean ready;
        /** Lost or closed; written under the hub's lock. */
        volatile boolean dead;
        Link(int generation, StatefulRedisPubSubConnection<String, byte[]> pubsub, Backend.Commands commands) {
            this.generation = generation;
            this.pubsub = pubsub;
            this.commands = commands;
        }

        @Override
        public void message(String channel, byte[] message) {
            onChannelMessage(channel, message);
        }

        @Override
        public void message(String pattern, String channel, byte[] message) {
            onPatternMessage(pattern, channel, message);
        }

        @Override
        public void smessage(String shardChannel, byte[] message) {
            onChannelMessage(shardChannel, message);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            failed(this, new IllegalStateException("connection " + generation + " to redis " + name + " closed"));
        }

        CompletableFuture<Void> close() {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            closing.add(pubsub.closeAsync());
            closing.add(commands.connection().closeAsync());
            for (StatefulConnection<String, byte[]> reader : readers) {
                closing.add(reader.closeAsync());
            }
            return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
        }
    }
}
