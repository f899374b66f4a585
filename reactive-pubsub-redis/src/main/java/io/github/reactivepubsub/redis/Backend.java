package io.github.reactivepubsub.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What the hub needs of Lettuce, for one Redis server or a Redis Cluster: new connections (channel names as UTF-8
 * strings, payloads as bytes), and shutting down a client the hub created itself.
 */
abstract class Backend {

    /** Channel names and stream keys as UTF-8 text; payloads as they are. */
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /**
     * A command connection and its asynchronous commands (the same type for both topologies).
     *
     * @param connection the connection
     * @param async its commands; in cluster mode routed by the slot of their first key
     * @param cluster in cluster mode, the same connection with its topology and node selection; null on one server
     */
    record Commands(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> async,
            @Nullable StatefulRedisClusterConnection<String, byte[]> cluster) {

        /**
         * Classic (not sharded) publishes go to one node, the master of slot 0, whatever their channel: a cluster
         * broadcasts each to every node, and messages broadcast from one node keep their order, so a pattern
         * subscriber receives one publisher's messages in order, across keys. On one server: the server.
         */
        RedisClusterAsyncCommands<String, byte[]> classic() {
            StatefulRedisClusterConnection<String, byte[]> c = cluster;
            if (c == null) {
                return async;
            }
            RedisClusterNode node = c.getPartitions().getMasterBySlot(0);
            return node == null ? async : c.async().getConnection(node.getNodeId());
        }

        /** @return the commands of the master owning a channel's slot (cluster), or of the server */
        RedisClusterAsyncCommands<String, byte[]> shardOf(String channel) {
            StatefulRedisClusterConnection<String, byte[]> c = cluster;
            if (c == null) {
                return async;
            }
            RedisClusterNode node = c.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
            return node == null ? async : c.async().getConnection(node.getNodeId());
        }

        /** @return the commands of every master (cluster), or of the server */
        List<RedisClusterAsyncCommands<String, byte[]>> masters() {
            StatefulRedisClusterConnection<String, byte[]> c = cluster;
            if (c == null) {
                return List.of(async);
            }
            List<RedisClusterAsyncCommands<String, byte[]>> masters = new ArrayList<>();
            for (RedisClusterNode node : c.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    masters.add(c.async().getConnection(node.getNodeId()));
                }
            }
            return masters;
        }
    }

    abstract CompletableFuture<? extends StatefulRedisPubSubConnection<String, byte[]>> connectPubSub();

    abstract CompletableFuture<Commands> connectCommands();

    abstract boolean cluster();

    /** @return completes once a client owned by the hub is shut down (at once when the client is the caller's) */
    abstract CompletionStage<Void> shutdown();

    /** @return where it connects, for logs and errors */
    abstract String name();

    static Backend standalone(RedisClient client, RedisURI uri, boolean owned) {
        return new Backend() {
            @Override
            CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connectPubSub() {
                return client.connectPubSubAsync(CODEC, uri).toCompletableFuture();
            }

            @Override
            CompletableFuture<Commands> connectCommands() {
                return client.connectAsync(CODEC, uri).toCompletableFuture()
                        .thenApply((StatefulRedisConnection<String, byte[]> c) -> new Commands(c, c.async(), null));
            }

            @Override
            boolean cluster() {
                return false;
            }

            @Override
            CompletionStage<Void> shutdown() {
                return owned ? client.shutdownAsync() : CompletableFuture.completedFuture(null);
            }

            @Override
            String name() {
                return uri.getHost() + ":" + uri.getPort();
            }
        };
    }

    static Backend cluster(RedisClusterClient client, String name, boolean owned) {
        return new Backend() {
            @Override
            CompletableFuture<StatefulRedisClusterPubSubConnection<String, byte[]>> connectPubSub() {
                return client.connectPubSubAsync(CODEC).thenApply(c -> {
                    c.setNodeMessagePropagation(true); // messages of the shard connections reach our listener
                    return c;
                });
            }

            @Override
            CompletableFuture<Commands> connectCommands() {
                return client.connectAsync(CODEC).thenCompose((StatefulRedisClusterConnection<String, byte[]> c) -> {
                    // Opens the connection to every master now: Lettuce's getConnection(node), which Commands uses
                    // per publish and per count, waits for a connection it has not opened yet on the calling thread
                    // (a publisher's or an event loop), and finds one already open from here on.
                    CompletableFuture<?>[] masters = c.getPartitions().stream()
                            .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                            .map(node -> c.getConnectionAsync(node.getNodeId()))
                            .toArray(CompletableFuture[]::new);
                    return CompletableFuture.allOf(masters).thenApply(opened -> new Commands(c, c.async(), c));
                });
            }

            @Override
            boolean cluster() {
                return true;
            }

            @Override
            CompletionStage<Void> shutdown() {
                return owned ? client.shutdownAsync() : CompletableFuture.completedFuture(null);
            }

            @Override
            String name() {
                return "cluster " + name;
            }
        };
    }
}
