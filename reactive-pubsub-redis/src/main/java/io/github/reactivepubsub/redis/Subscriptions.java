package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.BoundedBuffer;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.internal.TopicFlux;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The subscription multiplexer: this hub's topics (one per subscribed or declared key or pattern, with its local
 * subscribers, the {@link Topic.Member}s) and the Redis subscriptions that feed them on the one pub/sub connection.
 *
 * <ul>
 *   <li><b>Reference-counted at Redis.</b> The first topic that needs a channel, shard channel or glob sends
 *       {@code SUBSCRIBE} / {@code SSUBSCRIBE} / {@code PSUBSCRIBE}; the last one to go sends the matching
 *       unsubscribe. Topics of one key share one subscription, and so do patterns with the same glob
 *       ({@code a.*} and {@code a.*.**}). Every live subscription is sent again on each new link
 *       ({@link #linkUp}).</li>
 *   <li><b>Counted once confirmed.</b> A member counts in {@code subscriberCount} and {@code events()} once Redis has
 *       confirmed its topic's subscription and the link is ready for publishes (so a publish made after that is sent
 *       and reaches it), or, on a replay topic, once it has received its tail ({@link StreamReplay}).</li>
 *   <li><b>Leaving.</b> A member leaves when its Flux terminates (cancel, error, completion, overflow); a topic goes
 *       when it has neither members nor declarations.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Every table and every field marked "hub lock" in {@link Topic}, {@link Topic.Member} and {@link RedisSubscription}
 * changes under the hub lock ({@link Connector#lock}), which also makes a link current: so each subscription is sent
 * once per link, and (un)subscribe commands reach the pub/sub connection in the order of the changes (they are
 * written under the lock). The lookup tables are concurrent maps, read without the lock by the arrivals
 * ({@link Arrivals}) and by publishing; a glob's topics are an array replaced as a whole. Events are recorded under
 * the lock and emitted after it ({@link HubEvents}); no subscriber is signalled while the lock is held. Lock order:
 * the hub lock before a topic's monitor, never the reverse.
 */
final class Subscriptions implements Connector.Listener {

    private static final Logger LOG = Loggers.getLogger(Subscriptions.class);

    private final Connector connector;
    private final Object lock;
    private final boolean cluster;
    private final RedisHubOptions options;
    private final ChannelNames names;
    private final String name;
    private final HubEvents events;
    private final StreamReplay streams;
    private final RedisHubStats stats;

    /** Every topic by pattern; changed under the hub lock. */
    private final Map<Key, Topic> topics = new ConcurrentHashMap<>();
    /** Plain exact topics by channel (routing of SUBSCRIBE / SSUBSCRIBE arrivals); changed under the hub lock. */
    private final Map<String, Topic> byChannel = new ConcurrentHashMap<>();
    /** Plain pattern topics by glob (routing of PSUBSCRIBE arrivals); arrays replaced under the hub lock. */
    private final Map<String, Topic[]> byGlob = new ConcurrentHashMap<>();
    /** Redis subscriptions by {@link RedisSubscription#id}; under the hub lock. */
    private final Map<String, RedisSubscription> subscriptions = new HashMap<>();
    /** Replay count of every key declared with replay; changed under the hub lock, read by publishing. */
    private final Map<Key, Integer> declaredReplay = new ConcurrentHashMap<>();

    Subscriptions(Connector connector, Backend backend, RedisHubOptions options, ChannelNames names,
            Payloads payloads) {
        this.connector = connector;
        this.lock = connector.lock;
        this.cluster = backend.cluster();
        this.options = options;
        this.names = names;
        this.name = connector.name();
        this.events = new HubEvents(name, options.subscribeDefaults(), topics::values, connector::isClosed);
        this.streams = new StreamReplay(connector, backend, payloads, options, this::countLive);
        this.stats = new RedisHubStats(this);
    }

    /** @return the hub's counts (see {@link RedisHub#stats()}) */
    RedisHubStats stats() {
        return stats;
    }

    // ------------------------------------------------------------------------------------------- joining

    /** @return a Flux whose every subscriber joins the pattern's topic as one member */
    <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions subscribeOptions) {
        return new TopicFlux<>(actual -> joinTopic(pattern, subscribeOptions, actual));
    }

    /** Joins one Reactive Streams subscriber of {@code subscribe(pattern, options)} to the topic as one member. */
    @SuppressWarnings("unchecked")
    private void joinTopic(Key pattern, SubscribeOptions subscribeOptions, CoreSubscriber<? super Message<?>> actual) {
        Topic.Member member = null;
        RuntimeException refused = null;
        synchronized (lock) {
            if (!connector.isClosed()) {
                try {
                    Topic topic = topicLocked(pattern, 0, false);
                    member = new Topic.Member(topic, stats.counting(topic, subscribeOptions));
                    topic.members.add(member);
                } catch (RuntimeException e) {
                    refused = e;
                }
            }
        }
        if (member == null) { // signalled outside the lock
            if (refused != null) {
                Operators.error(actual, refused);
            } else {
                Operators.complete(actual);
            }
            return;
        }
        Topic.Member joined = member;
        Topic topic = joined.topic;
        Sinks.Many<Message<Object>> source = topic.isStream() ? joined.sink : topic.sink;
        Flux<Message<Object>> flux = Objects.requireNonNull(source).asFlux()
                .doFinally(signal -> left(joined))
                .transform(Operators.<Message<Object>, Message<Object>>lift((scannable, buffer) -> {
                    // no operator in the chain: notes the subscriber's buffer, whose fill the stats read
                    joined.buffer = Scannable.from(buffer);
                    return buffer;
                }))
                .transform(BoundedBuffer.of(topic.name, joined.options));
        flux.subscribe((CoreSubscriber<? super Message<Object>>) (CoreSubscriber<?>) actual);
        synchronized (lock) {
            joined.attached = true;
            if (!joined.left && topic.confirmed && !topic.isStream() && readyLocked()) {
                countLocked(joined);
            }
        }
        events.drain();
        Link l = connector.readyLink();
        if (topic.isStream() && l != null) {
            streams.start(topic, l);
        }
    }

    /**
     * The topic of a pattern, created if needed. Under the hub lock.
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
            topic = new Topic(pattern, replay, names.channel(pattern), null, stats);
        } else if (pattern.isPattern()) {
            if (cluster && !options.clusterPatterns()) {
                throw new RedisHubException(RedisHubException.Reason.UNSUPPORTED, "cannot subscribe to pattern '"
                        + pattern + "' on redis " + name + ": patterns are disabled in cluster mode"
                        + " (RedisHubOptions.clusterPatterns(false)); subscribe to exact keys");
            }
            String glob = names.glob(pattern);
            RedisSubscription s = acquireLocked(RedisSubscription.Kind.PATTERN, glob);
            topic = new Topic(pattern, 0, glob, s, stats);
            s.topics.add(topic);
            Topic[] current = byGlob.get(glob);
            Topic[] next = current == null ? new Topic[1] : Arrays.copyOf(current, current.length + 1);
            next[next.length - 1] = topic;
            byGlob.put(glob, next);
            topic.confirmed = s.confirmed;
        } else {
            String channel = names.channel(pattern);
            RedisSubscription s = acquireLocked(cluster ? RedisSubscription.Kind.SHARD
                    : RedisSubscription.Kind.CHANNEL, channel);
            topic = new Topic(pattern, 0, channel, s, stats);
            s.topics.add(topic);
            byChannel.put(channel, topic);
            topic.confirmed = s.confirmed;
        }
        topics.put(pattern, topic);
        return topic;
    }

    /** The Redis subscription of a name, created (and sent, when a link is current) if needed. Hub lock. */
    private RedisSubscription acquireLocked(RedisSubscription.Kind kind, String redisName) {
        String id = RedisSubscription.id(kind, redisName);
        RedisSubscription s = subscriptions.get(id);
        if (s == null) {
            s = new RedisSubscription(kind, redisName);
            subscriptions.put(id, s);
            Link l = connector.link();
            if (l != null) {
                sendSubscribe(l, s);
            }
        }
        return s;
    }

    /** Under the hub lock (so that commands keep the order of the changes): sends a subscription on a link. */
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
                LOG.debug("redis {}: {} failed: {}", name, s, ChannelNames.printable(error.toString()));
            }
        });
        return future;
    }

    /** Under the hub lock: withdraws a subscription on a link. */
    private static void sendUnsubscribe(Link l, RedisSubscription s) {
        RedisPubSubAsyncCommands<String, byte[]> commands = l.pubsub.async();
        switch (s.kind) {
            case CHANNEL -> commands.unsubscribe(s.name);
            case SHARD -> commands.sunsubscribe(s.name);
            case PATTERN -> commands.punsubscribe(s.name);
        }
    }

    /**
     * Redis confirmed a subscription: its topics count their members from now on, or, while the link still awaits
     * other confirmations, once it is ready ({@link #linkReady}): a member counts only when a publish made then is
     * sent, not refused as {@code DISCONNECTED}.
     */
    private void confirmed(Link l, RedisSubscription s) {
        synchronized (lock) {
            if (s.released || l.dead || s.confirmed) {
                return;
            }
            s.confirmed = true;
            for (Topic t : s.topics) {
                t.confirmed = true;
                if (l.ready) {
                    countWaitingLocked(t);
                }
            }
        }
        events.drain();
    }

    /** Hub lock: whether the current link is ready, so that a publish made now is sent. */
    private boolean readyLocked() {
        Link l = connector.link();
        return l != null && l.ready;
    }

    /** Hub lock: counts the members of a confirmed plain topic that joined and have not been counted. */
    private void countWaitingLocked(Topic t) {
        for (Topic.Member m : t.members) {
            if (m.attached && !m.left && !m.counted) {
                countLocked(m);
            }
        }
    }

    private void countLocked(Topic.Member m) {
        m.counted = true;
        Topic t = m.topic;
        t.subscribers++;
        events.recordLocked(new HubEvent.Added(t.pattern, t.subscribers));
    }

    /** A replay topic's member received its tail: it counts from now on. */
    private void countLive(Topic.Member m) {
        synchronized (lock) {
            if (m.attached && !m.left && !m.counted) {
                countLocked(m);
            }
        }
        events.drain();
    }

    // ------------------------------------------------------------------------------------------- leaving

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
                events.recordLocked(new HubEvent.Removed(t.pattern, t.subscribers));
            }
            removeIfUnusedLocked(t);
        }
        if (t.isStream()) {
            streams.leave(t, m);
        }
        events.drain();
    }

    private void removeIfUnusedLocked(Topic t) {
        if (t.members.isEmpty() && t.declarations == 0 && !t.removed) {
            removeLocked(t);
        }
    }

    /** Hub lock: removes a topic from the tables and withdraws its Redis subscription when no other topic uses it. */
    private void removeLocked(Topic t) {
        t.removed = true;
        topics.remove(t.pattern, t);
        RedisSubscription s = t.subscription;
        if (s == null) {
            streams.stop(t);
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
            Link l = connector.link();
            if (l != null) {
                sendUnsubscribe(l, s);
            }
        }
    }

    /** Ends a plain topic's members with an error; the topic goes (a new subscriber starts a new one). */
    void fail(Topic t, RuntimeException error) {
        synchronized (lock) {
            if (!t.removed) {
                removeLocked(t);
            }
        }
        t.fail(error);
    }

    // ------------------------------------------------------------------------------------- routing arrivals

    /** @return the plain topic of a channel or shard channel, or null (withdrawn meanwhile); lock-free */
    @Nullable Topic channelTopic(String channel) {
        return byChannel.get(channel);
    }

    /** @return the plain topics of a glob, or null; lock-free (the array is never changed once published) */
    Topic @Nullable [] globTopics(String glob) {
        return byGlob.get(glob);
    }

    // ---------------------------------------------------------------------------------- links (Connector)

    @Override
    public List<CompletableFuture<Void>> linkUp(Link l) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (RedisSubscription s : subscriptions.values()) {
            sent.add(sendSubscribe(l, s));
        }
        return sent;
    }

    /**
     * Counts the members of confirmed plain topics that waited for the link, and resumes the replay topics that have
     * members. Taken under the hub lock after {@code l.ready} was set: a member that joined before is in the list;
     * one joining after sees the link ready and counts itself or starts its topic itself (a replay topic may be
     * started twice: {@link StreamReplay#start} is idempotent).
     */
    @Override
    public void linkReady(Link l) {
        List<Topic> resume = new ArrayList<>();
        synchronized (lock) {
            if (l.dead) {
                return;
            }
            for (Topic t : topics.values()) {
                if (t.isStream()) {
                    if (!t.members.isEmpty()) {
                        resume.add(t);
                    }
                } else if (t.confirmed) {
                    countWaitingLocked(t);
                }
            }
        }
        events.drain();
        for (Topic t : resume) {
            streams.start(t, l);
        }
    }

    @Override
    public void linkLost(Link l) {
        streams.linkLost(l, topics.values());
    }

    // ---------------------------------------------------------------------- declarations, introspection

    /** See {@link RedisHub#declare}. */
    Disposable declare(Key pattern, TopicOptions topicOptions) {
        int replay = topicOptions.replay();
        if (replay > 0 && pattern.isPattern()) {
            throw new IllegalArgumentException("cannot declare pattern '" + pattern + "' with replay " + replay
                    + " on redis " + name + ": replay uses one Redis Stream per channel, so it needs an exact key");
        }
        Topic topic;
        synchronized (lock) {
            if (connector.isClosed()) {
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

    /** @return the replay count of a key declared with replay by this hub, or null; lock-free */
    @Nullable Integer replayOf(Key key) {
        return declaredReplay.isEmpty() ? null : declaredReplay.get(key);
    }

    List<Key> topics(Key query) {
        return query.select(topics.keySet());
    }

    /** @return the options a topic of this hub has (its replay count), empty when it has no such topic */
    Optional<TopicOptions> topicOptions(Key topic) {
        Topic t = topics.get(topic);
        return t == null || t.removed ? Optional.empty() : Optional.of(TopicOptions.defaults().replay(t.replay));
    }

    int subscriberCount(Key topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.subscribers;
    }

    int size() {
        return topics.size();
    }

    /** @return the subscribers of every topic, as {@link #subscriberCount} counts them; lock-free */
    int subscriberTotal() {
        int sum = 0;
        for (Topic t : topics.values()) {
            sum += t.subscribers;
        }
        return sum;
    }

    /**
     * @param only a topic, or null for every topic
     * @return the fullest buffer of the members now, 0 to 1: the buffers are listed under the hub lock and read after
     */
    double bufferFillMax(@Nullable Key only) {
        List<Scannable> buffers = new ArrayList<>();
        synchronized (lock) {
            Topic one = only == null ? null : topics.get(only);
            for (Topic t : only == null ? topics.values() : one == null ? List.<Topic>of() : List.of(one)) {
                for (Topic.Member m : t.members) {
                    Scannable buffer = m.buffer;
                    if (buffer != null && !m.left) {
                        buffers.add(buffer);
                    }
                }
            }
        }
        double max = 0;
        for (Scannable buffer : buffers) {
            Integer capacity = buffer.scan(Scannable.Attr.CAPACITY);
            Integer buffered = buffer.scan(Scannable.Attr.BUFFERED);
            if (capacity != null && buffered != null && capacity > 0) {
                max = Math.max(max, (double) buffered / capacity);
            }
        }
        return max;
    }

    /** Gives the active topic of a tracked pattern its counts (a topic created later takes them when created). */
    void track(RedisHubStats.Counted counted) {
        synchronized (lock) {
            Topic t = topics.get(counted.topic());
            if (t != null) {
                t.counted = counted;
            }
        }
    }

    Flux<HubEvent> events() {
        return events.flux();
    }

    /**
     * The hub closed ({@code closed} is set, so no topic appears any more): stops the replay topics' readers,
     * completes every member after what it has buffered, and completes the events.
     */
    void endAll() {
        Collection<Topic> all = new ArrayList<>(topics.values());
        for (Topic t : all) {
            if (t.isStream()) {
                streams.stop(t);
            }
        }
        for (Topic t : all) {
            t.complete();
        }
        events.drain();
    }
}
