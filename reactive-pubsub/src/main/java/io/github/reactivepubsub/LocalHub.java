package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.TopicFlux;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * The in-process {@link Hub}.
 *
 * <p>Structure: topics by pattern ({@code topics}) and in a {@link RouteTrie}, both changed only under
 * {@code lock}; a per-key route cache ({@code routes}) read without locks and replaced by a new empty map after
 * every change, so that (1) a change is made in the trie, (2) then the new cache is published through the volatile
 * {@code routes} write, (3) so any publish that reads the new cache computes routes from the changed trie. A publish
 * that read the old cache concurrently with a change may miss a subscriber joining at that moment or hand a message
 * to a topic being removed (which has no subscriber left): both are concurrent with the change, never after it.
 *
 * <p>Subscriber changes are recorded under the lock into an ordered outbox and emitted after it is released (as
 * {@link HubEvent}s and as meta messages), so user code never runs under the lock and events keep the order of the
 * changes.
 */
final class LocalHub implements Hub {

    private static final Topic[] NONE = new Topic[0];

    private final HubOptions options;
    private final Object lock = new Object();
    private final Map<Key, Topic> topics = new ConcurrentHashMap<>();
    private final RouteTrie trie = new RouteTrie();
    private volatile ConcurrentHashMap<Key, Topic[]> routes = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Sinks.Empty<Void> closedSignal = Sinks.empty();
    /** Null until {@link #stats()}: publishing counts nothing before (one read of this field). */
    private volatile @Nullable LocalHubStats stats;

    private final Sinks.Many<HubEvent> eventSink = Sinks.unsafe().many().multicast().directBestEffort();
    private final SerializedEmitter<HubEvent> outbox = new SerializedEmitter<>() {
        @Override
        void emitSerialized(HubEvent event) {
            eventSink.tryEmitNext(event);
            Key prefix = event instanceof HubEvent.Added ? ADDED_SUBSCRIBER : REMOVED_SUBSCRIBER;
            route(prefix.concat(event.key()), event, null);
        }
    };

    LocalHub(HubOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern) {
        return subscribe(pattern, options.subscribeDefaults());
    }

    @Override
    public <T> Flux<Message<T>> subscribe(Key pattern, SubscribeOptions subscribeOptions) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subscribeOptions, "options");
        return new TopicFlux<>(actual -> joinTopic(pattern, subscribeOptions, actual));
    }

    @Override
    public PublishResult publish(Key key, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (key.isPattern()) {
            key.requireConcrete();
        }
        LocalHubStats counting = stats;
        PublishResult result = closed ? PublishResult.CLOSED : route(key, payload, counting);
        if (counting != null) {
            counting.published(result);
        }
        return result;
    }

    /**
     * Hands a message to every topic matching the key (meta keys may contain wildcard segments, taken literally);
     * counts per tracked topic when {@code counting} is not null.
     */
    private PublishResult route(Key key, Object payload, @Nullable LocalHubStats counting) {
        Topic[] route = routesFor(key);
        if (route.length == 0) {
            return PublishResult.NO_SUBSCRIBERS;
        }
        Message<Object> message = new Message<>(key, payload);
        int delivered = 0;
        for (Topic topic : route) {
            int subscribers = topic.subscribers;
            delivered += subscribers;
            if (counting != null) {
                topic.delivered(subscribers);
            }
            topic.emit(message);
        }
        return PublishResult.delivered(delivered);
    }

    private Topic[] routesFor(Key key) {
        ConcurrentHashMap<Key, Topic[]> cache = routes;
        Topic[] route = cache.get(key);
        if (route == null) {
            route = trie.match(key);
            int max = options.routeCacheSize();
            // Keys nobody listens to are not cached: publishing to them is one trie lookup, and the cache keeps
            // nothing once every subscriber has left. A full cache keeps what it has (emptying it would make
            // round-robin publishing over more keys than it holds miss every time) until subscriptions change.
            if (max > 0 && route.length > 0 && cache.size() < max) {
                cache.putIfAbsent(key, route);
            }
        }
        return route;
    }

    /** Takes a topic for a joining subscriber (created if needed) and marks it pending; null when closed. */
    private @Nullable Topic join(Key pattern) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            Topic topic = topicLocked(pattern, TopicOptions.defaults(), false);
            topic.pending++;
            return topic;
        }
    }

    private Topic topicLocked(Key pattern, TopicOptions topicOptions, boolean strict) {
        Topic topic = topics.get(pattern);
        if (topic == null) {
            topic = new Topic(pattern, topicOptions);
            LocalHubStats counting = stats;
            if (counting != null) {
                topic.counted = counting.countedOrNull(pattern);
            }
            topics.put(pattern, topic);
            trie.add(topic);
            routes = new ConcurrentHashMap<>();
        } else if (strict && topic.options.replay() != topicOptions.replay()) {
            throw new IllegalStateException("topic '" + pattern + "' is already active with " + topic.options
                    + "; cannot declare it with " + topicOptions);
        }
        return topic;
    }

    /** The joining subscriber is attached to the sink: count it and announce it. */
    private void joined(Topic topic) {
        synchronized (lock) {
            topic.pending--;
            topic.subscribers++;
            outbox.enqueue(new HubEvent.Added(topic.pattern, topic.subscribers));
        }
        outbox.drain();
    }

    /** A subscriber left (cancel, error, completion): uncount it, announce it, drop the topic when unused. */
    private void left(Topic topic) {
        synchronized (lock) {
            topic.subscribers--;
            outbox.enqueue(new HubEvent.Removed(topic.pattern, topic.subscribers));
            removeIfUnused(topic);
        }
        outbox.drain();
    }

    private void removeIfUnused(Topic topic) {
        if (topic.isUnused() && !topic.removed) {
            topic.removed = true;
            topics.remove(topic.pattern, topic);
            trie.remove(topic);
            routes = new ConcurrentHashMap<>();
        }
    }

    @Override
    public Disposable declare(Key pattern, TopicOptions topicOptions) {
        Objects.requireNonNull(topicOptions, "options");
        Topic topic;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("hub is closed: cannot declare topic '" + pattern + "'");
            }
            topic = topicLocked(pattern, topicOptions, true);
            topic.declarations++;
        }
        AtomicBoolean released = new AtomicBoolean();
        Topic declared = topic;
        return new Disposable() {
            @Override
            public void dispose() {
                if (released.compareAndSet(false, true)) {
                    synchronized (lock) {
                        declared.declarations--;
                        removeIfUnused(declared);
                    }
                }
            }

            @Override
            public boolean isDisposed() {
                return released.get();
            }
        };
    }

    @Override
    public List<Key> topics(Key query) {
        return query.select(topics.keySet());
    }

    @Override
    public Optional<TopicOptions> topicOptions(Key topic) {
        Topic t = topics.get(topic);
        return t == null ? Optional.empty() : Optional.of(t.options);
    }

    @Override
    public int subscriberCount(Key topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.subscribers;
    }

    @Override
    public Flux<HubEvent> events() {
        return eventSink.asFlux().transform(BoundedBuffer.of("Hub events", options.subscribeDefaults()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first call switches counting on (see {@link HubStats} for its cost); later calls return the same object.
     */
    @Override
    public HubStats stats() {
        LocalHubStats s = stats;
        if (s == null) {
            synchronized (lock) {
                s = stats;
                if (s == null) {
                    s = new LocalHubStats(this);
                    stats = s;
                }
            }
        }
        return s;
    }

    /** Starts counting a topic on its own: the active topic of that pattern, if any, and any later one. */
    LocalHubStats.Counted track(LocalHubStats.Counted counted) {
        synchronized (lock) {
            Topic topic = topics.get(counted.topic());
            if (topic != null) {
                topic.counted = counted;
            }
        }
        return counted;
    }

    int topicCount() {
        return topics.size();
    }

    Iterable<Topic> activeTopics() {
        return topics.values();
    }

    @Nullable Topic activeTopic(Key pattern) {
        return topics.get(pattern);
    }

    @Override
    public void close() {
        List<Topic> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(topics.values());
        }
        for (Topic topic : all) {
            topic.complete();
        }
        eventSink.tryEmitComplete();
        closedSignal.tryEmitEmpty();
    }

    @Override
    public Flux<ConnectionStatus> status() {
        return Flux.defer(() -> closed
                ? Flux.just(ConnectionStatus.CLOSED)
                : Flux.concat(Mono.just(ConnectionStatus.CONNECTED),
                        closedSignal.asMono().thenReturn(ConnectionStatus.CLOSED)));
    }

    /** @return cached routes (tests: the cache must not keep entries once every subscriber has left) */
    int cachedRoutes() {
        return routes.size();
    }

    /** @return whether the routing trie indexes no topic (tests: no routing entry left behind) */
    boolean routingEmpty() {
        return trie.isEmpty() && topics.isEmpty();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Joins one Reactive Streams subscriber of {@code subscribe(pattern, options)} to the topic as one subscriber. */
    private void joinTopic(Key pattern, SubscribeOptions subscribeOptions, CoreSubscriber<? super Message<?>> actual) {
        Topic topic = join(pattern);
        if (topic == null) {
            Operators.complete(actual);
            return;
        }
        Membership membership = new Membership(topic, subscribeOptions.overflow());
        BoundedBufferSubscriber<Message<?>> buffer =
                new BoundedBufferSubscriber<>(actual, topic.name, subscribeOptions, membership);
        topic.attach(buffer);
        membership.attached();
    }

    /**
     * One subscriber's membership of a topic: counted once attached to the sink, uncounted once it terminates, in
     * that order even when it terminates during its own subscription (a {@code take(0)}, a cancel in
     * {@code onSubscribe}, a sink already completed by {@link #close()}): then it is never counted nor announced.
     */
    private final class Membership extends AtomicInteger implements BoundedBufferSubscriber.Listener {

        private static final int JOINING = 0;
        private static final int JOINED = 1;
        private static final int LEFT_EARLY = 2;

        private final Topic topic;
        private final Overflow overflow;

        Membership(Topic topic, Overflow overflow) {
            this.topic = topic;
            this.overflow = overflow;
        }

        void attached() {
            if (compareAndSet(JOINING, JOINED)) {
                joined(topic);
            } else {
                synchronized (lock) {
                    topic.pending--;
                    removeIfUnused(topic);
                }
            }
        }

        /** The subscriber terminated (cancel, error, completion). */
        @Override
        public void terminated() {
            if (!compareAndSet(JOINING, LEFT_EARLY)) {
                left(topic);
            }
        }

        @Override
        public void dropped() {
            LocalHubStats counting = stats;
            if (counting != null) {
                counting.dropped(topic, overflow);
            }
        }
    }
}
