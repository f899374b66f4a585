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
     * A command connection. Used only through its {@link CommandWriter} (see there why).
     *
     * @param connection the connection; in cluster mode it routes each command by the slot of its first key
     * @param async its commands
     * @param cluster in cluster mode, the same connection with its topology and node selection; null on one server
     * @param classic where classic (not sharded) publishes go: on one server, the connection; in cluster mode, the
     *     connection to one node, the master of slot 0 when connecting, whatever the channel: a cluster broadcasts
     *     each {@code PUBLISH} to every node, and messages broadcast from one node keep their order, so a pattern
     *     subscriber receives one publisher's messages in order, across keys. Opened while connecting, so that a
     *     publish never waits for a node connection.
     */
    record Commands(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> async,
            @Nullable StatefulRedisClusterConnection<String, byte[]> cluster,
            StatefulConnection<String, byte[]> classic) {

        /** @return the commands of the master owning a channel's slot (cluster), or of the server; never blocks */
        CompletableFuture<RedisClusterAsyncCommands<String, byte[]>> shardOf(String channel) {
            StatefulRedisClusterConnection<String, byte[]> c = cluster;
            RedisClusterNode node = c == null ? null : c.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
            if (c == null || node == null) {
                return CompletableFuture.completedFuture(async);
            }
            return c.getConnectionAsync(node.getNodeId()).thenApply(StatefulRedisConnection::async);
        }

        /** @return the commands of every master (cluster), or of the server; never blocks */
        CompletableFuture<List<RedisClusterAsyncCommands<String, byte[]>>> masters() {
            StatefulRedisClusterConnection<String, byte[]> c = cluster;
            if (c == null) {
                return CompletableFuture.completedFuture(List.of(async));
            }
            List<CompletableFuture<StatefulRedisConnection<String, byte[]>>> nodes = new ArrayList<>();
            for (RedisClusterNode node : c.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    nodes.add(c.getConnectionAsync(node.getNodeId()));
                }
            }
            return CompletableFuture.allOf(nodes.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                List<RedisClusterAsyncCommands<String, byte[]>> masters = new ArrayList<>();
                for (CompletableFuture<StatefulRedisConnection<String, byte[]>> n : nodes) {
                    masters.add(n.join().async()); // done: allOf completed
                }
                return masters;
            });
        }
    }

    abstract CompletableFuture<? extends StatefulRedisPubSubConnection<String, byte[]>> connectPubSub();

    /**
     * @param publishing whether the connection publishes (in cluster mode, also opens the classic publishes' node
     *     connection); false for a replay topic's stream reader
     */
    abstract CompletableFuture<Commands> connectCommands(boolean publishing);

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
            CompletableFuture<Commands> connectCommands(boolean publishing) {
                return client.connectAsync(CODEC, uri).toCompletableFuture()
                        .thenApply((StatefulRedisConnection<String, byte[]> c) -> new Commands(c, c.async(), null, c));
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
            CompletableFuture<Commands> connectCommands(boolean publishing) {
                return client.connectAsync(CODEC).thenCompose((StatefulRedisClusterConnection<String, byte[]> c) -> {
                    RedisClusterNode node = c.getPartitions().getMasterBySlot(0);
                    if (!publishing || node == null) { // (no topology: classic publishes go where the cluster routes)
                        return CompletableFuture.completedFuture(new Commands(c, c.async(), c, c));
                    }
                    return c.getConnectionAsync(node.getNodeId())
                            .thenApply(classic -> new Commands(c, c.async(), c, classic))
                            .whenComplete((commands, error) -> {
                                if (error != null) {
                                    c.closeAsync();
                                }
                            });
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
