package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.internal.HubCounts;
import io.github.reactivepubsub.internal.TopicCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link HubStats} of a {@link RedisHub}: what this hub sees, counted locally. Always counting, in striped
 * counters ({@link LongAdder}) that the publishing threads and Lettuce's event loops add to without contending: one
 * add per publish, per message and topic arriving and per drop.
 *
 * <ul>
 *   <li>{@link #published} counts every outcome of {@link RedisHub#publish} ({@code SENT}, {@code DISCONNECTED},
 *       {@code BACK_PRESSURED}, {@code CLOSED}) where {@link Publisher} produces it; {@code publishAndCount} is not
 *       counted (its Mono carries Redis's receiver count instead).</li>
 *   <li>{@link #delivered} counts the message copies handed to this hub's subscribers' buffers: one per subscriber
 *       per message arriving from Redis (or per stream entry of a replay topic, its tail included), and the meta
 *       messages of this hub's subscribers. Other clients of Redis are not counted: ask Redis ({@code INFO}).</li>
 *   <li>{@link #dropped} counts the drops of this hub's subscribers' bounded buffers, through the drop listener each
 *       subscriber's buffer gets (it counts, then calls the subscriber's own {@link SubscribeOptions#onDrop}); under
 *       {@link Overflow#ERROR}, the message that overflowed. A replay subscriber whose live entries overflow while
 *       its tail is being read ends with an overflow error too: counted under {@code ERROR}.</li>
 *   <li>{@link #topics}, {@link #subscribers} and {@link #bufferFillMax} are this hub's topics, subscribers (those
 *       counted by {@link RedisHub#subscriberCount}) and buffers, computed when read; {@code bufferFillMax} reads each
 *       subscriber's buffer (its {@code Scannable} {@code BUFFERED} and {@code CAPACITY}) after copying the list
 *       under the hub lock: read it at a scraping pace.</li>
 * </ul>
 */
final class RedisHubStats extends HubCounts {

    private final Subscriptions subscriptions;
    private final Map<Key, Counted> tracked = new ConcurrentHashMap<>();

    RedisHubStats(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Counts one outcome of {@code publish}; returns it. */
    PublishResult published(PublishResult result) {
        return addPublished(result);
    }

    /** Counts copies of one message handed to a topic's subscribers' buffers. */
    void delivered(Topic topic, int copies) {
        addDelivered(copies);
        Counted counted = topic.counted;
        if (counted != null) {
            counted.addDelivered(copies);
        }
    }

    /** Counts one copy dropped by a subscriber of a topic under a policy. */
    void dropped(Topic topic, Overflow policy) {
        addDropped(policy);
        Counted counted = topic.counted;
        if (counted != null) {
            counted.addDropped(policy);
        }
    }

    /**
     * @return the options of a subscriber's buffer: the subscriber's, with a drop listener that counts each drop and
     *     then tells the subscriber's own listener (whose exceptions the buffer logs and ignores, after the count)
     */
    SubscribeOptions counting(Topic topic, SubscribeOptions options) {
        Overflow policy = options.overflow();
        Consumer<Object> own = options.dropListener();
        return options.onDrop(element -> {
            dropped(topic, policy);
            own.accept(element);
        });
    }

    /** @return the counts of a tracked topic, or null (called under the hub lock when a topic is created) */
    @Nullable Counted countedOrNull(Key pattern) {
        return tracked.isEmpty() ? null : tracked.get(pattern);
    }

    /** @return this hub's subscribed and declared topics (local knowledge; Redis's: {@link RedisHub#channels}) */
    @Override
    public int topics() {
        return subscriptions.size();
    }

    /** @return this hub's subscribers counted by {@link RedisHub#subscriberCount} (local knowledge) */
    @Override
    public int subscribers() {
        return subscriptions.subscriberTotal();
    }

    /** @return the fullest buffer among this hub's subscribers */
    @Override
    public double bufferFillMax() {
        return subscriptions.bufferFillMax(null);
    }

    @Override
    public TopicStats topic(Key topic) {
        Counted counted = tracked.computeIfAbsent(topic, Counted::new);
        subscriptions.track(counted);
        return counted;
    }

    /** The counts of one tracked topic; they outlive the topic (a topic that goes and comes back counts on). */
    final class Counted extends TopicCounts {

        Counted(Key topic) {
            super(topic);
        }

        /** @return this hub's subscribers of the topic ({@link RedisHub#subscriberCount}) */
        @Override
        public int subscribers() {
            return subscriptions.subscriberCount(topic());
        }

        @Override
        public double bufferFillMax() {
            return subscriptions.bufferFillMax(topic());
        }
    }
}
