package io.github.reactivepubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Topics indexed by their pattern's segments, so that routing a key walks one path per matching pattern shape
 * (exact child, {@code *} child, {@code **} child) instead of scanning every topic.
 *
 * <p>Mutations ({@link #add}, {@link #remove}) happen under the hub's lock; {@link #match} runs concurrently with
 * them without locks. A match racing a mutation may or may not see it (the hub's route cache is invalidated after
 * each mutation, so later publishes do); it never sees a broken structure.
 */
final class RouteTrie {

    private static final Topic[] NONE = new Topic[0];

    private static final class Node {
        final @Nullable Node parent;
        final String segment;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile @Nullable Topic topic;

        Node(@Nullable Node parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }
    }

    private final Node root = new Node(null, "");

    /** Indexes a topic under its pattern. Caller holds the hub's lock. */
    void add(Topic topic) {
        Node node = root;
        for (String s : topic.pattern.segmentArray()) {
            Node parent = node;
            node = node.children.computeIfAbsent(s, seg -> new Node(parent, seg));
        }
        node.topic = topic;
    }

    /** Removes a topic and prunes the nodes left empty. Caller holds the hub's lock. */
    void remove(Topic topic) {
        Node node = root;
        for (String s : topic.pattern.segmentArray()) {
            node = node.children.get(s);
            if (node == null) {
                return;
            }
        }
        if (node.topic != topic) {
            return;
        }
        node.topic = null;
        while (node.parent != null && node.topic == null && node.children.isEmpty()) {
            node.parent.children.remove(node.segment, node);
            node = node.parent;
        }
    }

    /** @return whether no topic is indexed (every node was pruned) */
    boolean isEmpty() {
        return root.children.isEmpty();
    }

    /**
     * The topics whose pattern matches a key. Key segments are literal: a key segment {@code *} reaches the
     * {@code *} child once (not twice), and a key segment {@code **} is matched by {@code **} patterns only.
     */
    Topic[] match(Key key) {
        List<Topic> out = null;
        out = match(root, key.segmentArray(), 0, out);
        return out == null ? NONE : out.toArray(NONE);
    }

    private static @Nullable List<Topic> match(Node node, String[] key, int i, @Nullable List<Topic> out) {
        Node anyDepth = node.children.get(Key.ANY_DEPTH);
        if (anyDepth != null) {
            out = add(out, anyDepth.topic);
        }
        if (i == key.length) {
            return add(out, node.topic);
        }
        String s = key[i];
        if (s.equals(Key.ANY_DEPTH)) {
            return out;
        }
        Node exact = node.children.get(s);
        if (exact != null) {
            out = match(exact, key, i + 1, out);
        }
        if (!s.equals(Key.ANY)) {
            Node any = node.children.get(Key.ANY);
            if (any != null) {
                out = match(any, key, i + 1, out);
            }
        }
        return out;
    }

    private static @Nullable List<Topic> add(@Nullable List<Topic> out, @Nullable Topic topic) {
        if (topic == null) {
            return out;
        }
        List<Topic> list = out == null ? new ArrayList<>(4) : out;
        list.add(topic);
        return list;
    }
}
