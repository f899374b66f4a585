package io.github.reactivepubsub.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * One generation of a hub's connections: the pub/sub connection (every subscription), the command connection
 * (publishes, queries, stream tails; written only by its {@link CommandWriter}) and the stream readers started while
 * it lived. Lost as a whole: when any of its connections closes, the {@link Connector} closes the others and makes a
 * new link.
 *
 * <p>Concurrency: {@link #dead} is written under the hub lock (by the {@link Connector}), {@link #ready} by the
 * connector once every subscription is confirmed; both are volatile, read without the lock. {@link #readers} is
 * copy-on-write (stream readers register from Lettuce's threads).
 */
final class Link implements RedisConnectionStateListener {

    final int generation;
    final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    final Backend.Commands commands;
    final CommandWriter writer;
    /** Stream readers started on this link: closed with it. */
    final List<StatefulConnection<String, byte[]>> readers = new CopyOnWriteArrayList<>();
    /** Every subscription is confirmed: publishing and stream reading may start. */
    volatile boolean ready;
    /** Lost or closed; written under the hub lock. */
    volatile boolean dead;

    private final String hubName;
    private final BiConsumer<Link, Throwable> lost;

    /**
     * @param lost told when one of the link's connections closes (on that connection's thread)
     */
    Link(int generation, StatefulRedisPubSubConnection<String, byte[]> pubsub, Backend.Commands commands,
            int maxInFlight, String hubName, BiConsumer<Link, Throwable> lost) {
        this.generation = generation;
        this.pubsub = pubsub;
        this.commands = commands;
        this.writer = new CommandWriter(commands.connection(), maxInFlight);
        this.hubName = hubName;
        this.lost = lost;
    }

    /** Starts listening: arrivals of the pub/sub connection, and the closing of either connection. */
    void listen(RedisPubSubListener<String, byte[]> arrivals) {
        pubsub.addListener(arrivals);
        pubsub.addListener((RedisConnectionStateListener) this);
        commands.connection().addListener(this);
    }

    /** @return whether both connections are open */
    boolean isOpen() {
        return pubsub.isOpen() && commands.connection().isOpen();
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        lost.accept(this, new IllegalStateException("connection " + generation + " to redis " + hubName + " closed"));
    }

    /**
     * Closes every connection of the link; the command connection after writing what its writer holds.
     *
     * @return completes once all are closed
     */
    CompletableFuture<Void> close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        closing.add(pubsub.closeAsync());
        closing.add(writer.close());
        for (StatefulConnection<String, byte[]> reader : readers) {
            closing.add(reader.closeAsync());
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }
}
