package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Key;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The broker's topics as one connection learnt them: the snapshot after WELCOME, then every EVENT, with the replay
 * counts its TOPIC_OPTIONS frames announced. Bounded by the number of topics and by the UTF-8 bytes of their keys
 * ({@link RemoteHubOptions#maxMirroredTopics(int, int)}): the broker chooses the keys, so a hostile one could
 * otherwise grow it without end. A replay count is only kept for a topic of the mirror, so the same bounds hold it.
 *
 * <p>Threading: written by the connection's inbound thread only (one frame at a time), read from any thread.
 */
final class TopicMirror {

    private final Map<Key, Integer> subscribers = new ConcurrentHashMap<>();
    private final Map<Key, Integer> replays = new ConcurrentHashMap<>();
    private final int maxTopics;
    private final int maxKeyBytes;
    /** Inbound thread only: the UTF-8 bytes of the keys of {@link #subscribers}. */
    private long keyBytes;

    TopicMirror(int maxTopics, int maxKeyBytes) {
        this.maxTopics = maxTopics;
        this.maxKeyBytes = maxKeyBytes;
    }

    /**
     * Records a topic's subscriber count, and its replay count when one was announced.
     *
     * @param replay the replay count of the TOPIC_OPTIONS frame right before, or null when there was none
     * @return null, or what the topic would exceed (nothing was recorded then)
     */
    @Nullable String put(Key topic, int subscriberCount, @Nullable Integer replay) {
        if (!subscribers.containsKey(topic)) {
            long bytes = topic.toString().getBytes(StandardCharsets.UTF_8).length;
            if (subscribers.size() >= maxTopics) {
                return "the mirror of its topics already holds " + subscribers.size() + " topics; expected at most "
                        + maxTopics + " (RemoteHubOptions.maxMirroredTopics)";
            }
            if (keyBytes + bytes > maxKeyBytes) {
                return "the mirror's keys would take " + (keyBytes + bytes) + " bytes; expected at most "
                        + maxKeyBytes + " (RemoteHubOptions.maxMirroredTopics)";
            }
            keyBytes += bytes;
        }
        subscribers.put(topic, subscriberCount);
        if (replay != null) {
            replays.put(topic, replay);
        }
        return null;
    }

    /** Forgets a topic the broker's hub no longer has (an EVENT with a count of 0). */
    void remove(Key topic) {
        replays.remove(topic);
        if (subscribers.remove(topic) != null) {
            keyBytes -= topic.toString().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** @return the topic's subscriber count, 0 when it is not mirrored */
    int subscriberCount(Key topic) {
        return subscribers.getOrDefault(topic, 0);
    }

    /** @return whether the topic is mirrored */
    boolean contains(Key topic) {
        return subscribers.containsKey(topic);
    }

    /** @return the topic's replay count as announced, or null when it has the default options or is unknown */
    @Nullable Integer replay(Key topic) {
        return replays.get(topic);
    }

    /** @return a live view of the mirrored topics */
    Set<Key> topics() {
        return subscribers.keySet();
    }

    /** @return how many topics are mirrored */
    int size() {
        return subscribers.size();
    }
}
