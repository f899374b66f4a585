package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replay topics: an exact key declared with {@code replay(n)} is fed by its Redis Stream instead of pub/sub, so a late
 * subscriber gets the last {@code n} entries, then every later one, with no gap and no duplicate, and a reconnection
 * resumes after the last entry delivered (this hub's publishes append to the stream: {@link Publisher}).
 *
 * <pre>
 *   start   the stream's position is unknown: XREVRANGE - + COUNT 1 on the command connection gives the last id
 *           (members joining meanwhile wait in {@code waiting})
 *   reader  one connection per topic reads every entry after {@code lastId}: XREAD BLOCK ... COUNT 512, again and
 *           again; each entry goes to every member in {@code live}
 *   tail    a member joins {@code live} at once but collects the live entries in its {@code pending} queue while
 *           XREVRANGE - joinedAt COUNT n reads its tail; then the tail, then what it collected, then live entries
 *           straight to its sink. The tail ends at {@code joinedAt}, the last id delivered when it joined, and it
 *           collects exactly the entries after it: stream ids order both, so nothing is missed or seen twice
 *   lost    on a link's loss the reader is forgotten; on the next link it restarts from {@code lastId}
 * </pre>
 *
 * <h2>Concurrency</h2>
 * A topic's stream state ({@code lastId}, {@code live}, {@code waiting}, {@code starting}, each member's
 * {@code pending}) and every emission into a member's sink happen under the topic's monitor; replies arrive on
 * Lettuce's event loops, joins on the subscribing thread. The hub lock is never taken inside a topic's monitor (the
 * member that received its tail is counted after the monitor is released). {@link Topic#reader} is volatile: set under
 * the monitor, cleared without it by {@link #stop} (under the hub lock) and {@link #linkLost}; a read whose topic's
 * reader is no longer its connection closes that connection and stops. Reader connections are each written only by
 * their own read loop; XREVRANGE goes through the command connection's {@link CommandWriter}.
 */
final class StreamReplay {

    /** The stream entry field holding the payload. */
    static final String PAYLOAD_FIELD = "p";
    /** Entries read from a stream at a time. */
    private static final int STREAM_BATCH = 512;

    private final Connector connector;
    private final Backend backend;
    private final Payloads payloads;
    private final RedisHubOptions options;
    private final String name;
    private final Consumer<Topic.Member> live;

    /**
     * @param live told (outside any monitor) when a member has received its tail and gets live entries: it counts
     */
    StreamReplay(Connector connector, Backend backend, Payloads payloads, RedisHubOptions options,
            Consumer<Topic.Member> live) {
        this.connector = connector;
        this.backend = backend;
        this.payloads = payloads;
        this.options = options;
        this.name = connector.name();
        this.live = live;
    }

    /**
     * Starts or resumes a replay topic on a ready link: finds the stream's position if unknown, starts the reader if
     * none runs, and reads the tail of every member not yet live. Idempotent.
     */
    void start(Topic t, Link l) {
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
            l.writer.call(() -> l.commands.async().xrevrange(t.redisName, Range.create("-", "+"), Limit.from(1)))
                    .whenComplete((entries, error) -> {
                        synchronized (t) {
                            t.starting = false;
                            if (error == null && t.lastId == null) {
                                t.lastId = entries.isEmpty() ? "0-0" : entries.get(0).getId();
                            }
                        }
                        if (error != null) {
                            connector.failed(l, error);
                        } else {
                            start(t, l);
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
        l.writer.call(() -> l.commands.async().xrevrange(t.redisName, Range.create("-", upTo),
                Limit.from(t.replay))).whenComplete((entries, error) -> {
                    if (error != null) {
                        synchronized (t) {
                            t.live.remove(m); // read again, from a later position, on the next connection
                            m.pending = null;
                        }
                        connector.failed(l, error);
                        return;
                    }
                    boolean delivered = false;
                    synchronized (t) {
                        ArrayDeque<Message<Object>> pending = m.pending;
                        if (m.left || pending == null || !t.live.contains(m)) {
                            return;
                        }
                        try {
                            for (int i = entries.size() - 1; i >= 0; i--) {
                                t.emit(m, entryMessage(t, entries.get(i)));
                            }
                        } catch (RedisHubException e) {
                            t.live.remove(m);
                            m.pending = null;
                            m.fail(e);
                            return;
                        }
                        for (Message<Object> message : pending) {
                            t.emit(m, message);
                        }
                        m.pending = null;
                        delivered = true;
                    }
                    if (delivered) {
                        live.accept(m);
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
        return new Message<>(t.pattern, payloads.decode(t.redisName, bytes));
    }

    /** Opens the topic's reader connection (one per topic: XREAD BLOCK holds its connection) and starts reading. */
    private void startReader(Topic t, Link l) {
        backend.connectCommands(false).whenComplete((commands, error) -> {
            if (error != null) {
                connector.failed(l, error);
                return;
            }
            StatefulConnection<String, byte[]> connection = commands.connection();
            synchronized (t) {
                if (t.removed || l.dead || connector.isClosed() || t.reader != null) {
                    connection.closeAsync();
                    return;
                }
                t.reader = connection;
                l.readers.add(connection);
            }
            if (l.dead) { // lost after the check: Link.close may have missed the reader
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
                        connector.failed(l, error);
                        return;
                    }
                    deliver(t, entries);
                    read(t, l, commands);
                });
    }

    /** New stream entries, in id order, to every live member (collected for those still reading their tail). */
    private void deliver(Topic t, List<StreamMessage<String, byte[]>> entries) {
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
                        t.emit(m, message);
                    } else if (pending.size() < m.options.bufferSize()) {
                        pending.add(message);
                    } else {
                        m.pending = null;
                        t.live.remove(i--);
                        t.stats.dropped(t, Overflow.ERROR);
                        m.fail(new OverflowException(t.name, m.options.bufferSize()));
                    }
                }
            }
        }
    }

    /** A member left its replay topic: it gets nothing more. */
    void leave(Topic t, Topic.Member m) {
        synchronized (t) {
            t.live.remove(m);
            t.waiting.remove(m);
            m.pending = null;
        }
    }

    /** The topic is gone (under the hub lock) or the hub closed: stops reading its stream. */
    void stop(Topic t) {
        StatefulConnection<String, byte[]> reader = t.reader;
        t.reader = null;
        if (reader != null) {
            reader.closeAsync();
        }
    }

    /** A link died: its readers close with it; each topic starts a new one on the next link, from its last id. */
    void linkLost(Link l, Iterable<Topic> topics) {
        for (Topic t : topics) {
            StatefulConnection<String, byte[]> reader = t.reader;
            if (reader != null && l.readers.contains(reader)) {
                t.reader = null;
            }
        }
    }
}
