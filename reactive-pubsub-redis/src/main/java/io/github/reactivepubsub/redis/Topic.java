package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import io.lettuce.core.api.StatefulConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.Scannable;
import reactor.core.publisher.Sinks;

/**
 * One subscribed (or declared) key or pattern of a {@link RedisHub}, and its local subscribers.
 *
 * <p>A <b>plain</b> topic is fed by Redis pub/sub: its {@link RedisSubscription} (a channel, a shard channel or a
 * glob, shared by every topic that maps to it) and one multicast sink that every member subscribes to behind its own
 * bounded buffer. A <b>stream</b> topic (an exact key declared with replay) is fed by its stream: one reader
 * connection ({@code XREAD BLOCK}) and one unicast sink per member, so that each member gets its own tail first.
 *
 * <p>Locking: the fields marked "hub lock" change only under the hub lock ({@link Connector#lock}, see
 * {@link Subscriptions}); the fields marked "monitor" (the replay state, see {@link StreamReplay}) and every emission
 * into a sink happen under this object's monitor (the emissions come from Lettuce's event loops and from the hub's
 * event drain, so the monitor serializes them as Reactive Streams requires). The hub lock may be taken before the
 * monitor, never inside it.
 */
final class Topic {

    final Key pattern;
    /** For errors and logs: the pattern's dotted form. */
    final String name;
    /** Replay count: 0 for plain topics. */
    final int replay;
    /** The channel or stream key of an exact key, the glob of a pattern. */
    final String redisName;
    /** Plain topics: the Redis subscription feeding it. */
    final @Nullable RedisSubscription subscription;
    /** Plain topics: the members' shared sink. */
    final Sinks.@Nullable Many<Message<Object>> sink;
    /** Counts what is handed to the members' buffers. */
    final RedisHubStats stats;
    /** This topic's own counts, when {@link RedisHubStats#topic} tracks its pattern; set under the hub lock. */
    volatile RedisHubStats.@Nullable Counted counted;

    /** Hub lock. */
    final Set<Member> members = new LinkedHashSet<>();
    /** Hub lock; read without it by {@code subscriberCount}. */
    volatile int subscribers;
    /** Hub lock: declarations not yet disposed. */
    int declarations;
    /** Hub lock: its Redis subscription was confirmed once (plain topics). */
    boolean confirmed;
    /** Hub lock. */
    volatile boolean removed;

    /** Stream topics, monitor: the id of the last entry delivered, null until the stream's position is known. */
    @Nullable String lastId;
    /** Stream topics, monitor: members receiving live entries (possibly still collecting them, see Member). */
    final List<Member> live = new ArrayList<>();
    /** Stream topics, monitor: members waiting for the stream's position. */
    final List<Member> waiting = new ArrayList<>();
    /** Stream topics: the connection reading the stream now (set under the monitor, cleared without it). */
    volatile @Nullable StatefulConnection<String, byte[]> reader;
    /** Stream topics, monitor: whether the position query is in flight. */
    boolean starting;

    Topic(Key pattern, int replay, String redisName, @Nullable RedisSubscription subscription,
            RedisHubStats stats) {
        this.pattern = pattern;
        this.name = pattern.toString();
        this.replay = replay;
        this.redisName = redisName;
        this.subscription = subscription;
        this.stats = stats;
        this.counted = stats.countedOrNull(pattern);
        this.sink = replay > 0 ? null : Sinks.unsafe().many().multicast().directBestEffort();
    }

    boolean isStream() {
        return replay > 0;
    }

    /**
     * Plain topics: emits a message to every member through the shared sink, counting a copy per member (each
     * member's buffer requests everything, so the best-effort sink hands every member the message).
     */
    void emit(Message<Object> message) {
        synchronized (this) {
            if (sink != null) {
                int copies = sink.currentSubscriberCount();
                if (sink.tryEmitNext(message).isSuccess() && copies != 0) {
                    stats.delivered(this, copies);
                }
            }
        }
    }

    /** Stream topics, monitor held: emits a message to one member, counting it. */
    void emit(Member m, Message<Object> message) {
        if (Objects.requireNonNull(m.sink).tryEmitNext(message).isSuccess()) {
            stats.delivered(this, 1);
        }
    }

    /** Ends every member with an error. */
    void fail(Throwable error) {
        synchronized (this) {
            if (sink != null) {
                sink.tryEmitError(error);
                return;
            }
            for (Member m : detachAll()) {
                m.fail(error);
            }
        }
    }

    /** Completes every member (the hub closed). */
    void complete() {
        synchronized (this) {
            if (sink != null) {
                sink.tryEmitComplete();
                return;
            }
            for (Member m : detachAll()) {
                m.complete();
            }
        }
    }

    /** Monitor held: empties the member lists (a member that terminates leaves them, reentrantly) and returns them. */
    private List<Member> detachAll() {
        List<Member> all = new ArrayList<>(live);
        all.addAll(waiting);
        live.clear();
        waiting.clear();
        return all;
    }

    @Override
    public String toString() {
        return "Topic[" + name + (replay > 0 ? ", replay " + replay : "") + ", " + subscribers + " subscribers]";
    }

    /** One local subscriber of a topic. */
    static final class Member {

        final Topic topic;
        final SubscribeOptions options;
        /** Stream topics: this member's own sink. */
        final Sinks.@Nullable Many<Message<Object>> sink;
        /** This member's bounded buffer once subscribed (its fill is read by {@link RedisHubStats}). */
        volatile @Nullable Scannable buffer;

        /** Hub lock. */
        boolean attached;
        /** Hub lock. */
        boolean counted;
        /** Hub lock (read under the monitor too: set before the member leaves the topic's lists). */
        volatile boolean left;

        /**
         * Stream topics, monitor: live entries collected while this member's tail is being read; null once the tail
         * was delivered (live entries then go straight to the sink).
         */
        @Nullable ArrayDeque<Message<Object>> pending;

        Member(Topic topic, SubscribeOptions options) {
            this.topic = topic;
            this.options = options;
            this.sink = topic.isStream() ? Sinks.unsafe().many().unicast().onBackpressureBuffer() : null;
        }

        /** Monitor of the topic held. */
        void fail(Throwable error) {
            if (sink != null) {
                sink.tryEmitError(error);
            }
        }

        /** Monitor of the topic held. */
        void complete() {
            if (sink != null) {
                sink.tryEmitComplete();
            }
        }
    }
}
