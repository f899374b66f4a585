package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Publishing: what one {@code publish} sends, and how much may await Redis's reply.
 *
 * <ul>
 *   <li>a plain key: {@code PUBLISH channel payload}; in cluster mode {@code SPUBLISH} to the key's shard and, with
 *       {@link RedisHubOptions#clusterPatterns(boolean) patterns} enabled, also a classic {@code PUBLISH} from one
 *       node ({@link Backend.Commands#classic()}) for the pattern subscribers;</li>
 *   <li>a key this hub declared with replay: one script appends the payload to the key's stream
 *       ({@code XADD MAXLEN ~ n}) and publishes it, atomically ({@link PublishCommand#STREAM_PUBLISH}).</li>
 * </ul>
 *
 * {@link #publish} is fire-and-forget within a bounded window: it reserves its commands' places in the link's
 * {@link CommandWriter} window ({@link RedisHubOptions#maxInFlight()}) or returns {@code BACK_PRESSURED}, and each
 * {@link PublishCommand} gives its place back when answered. {@link #publishAndCount} awaits the reply instead, outside
 * the window. Both go through the same writer, so one thread's publishes of either kind reach Redis in order.
 *
 * <p>Thread-safe and non-blocking: reads the current link (volatile) and the declared replay topics (a concurrent
 * map), reserves with a CAS, and queues into the writer.
 */
final class Publisher {

    private final Connector connector;
    private final Subscriptions subscriptions;
    private final RedisHubStats stats;
    private final Payloads payloads;
    private final ChannelNames names;
    private final boolean cluster;
    private final boolean clusterPatterns;
    private final byte[] streamScript;

    Publisher(Connector connector, Subscriptions subscriptions, Payloads payloads, ChannelNames names, boolean cluster,
            boolean clusterPatterns) {
        this.connector = connector;
        this.subscriptions = subscriptions;
        this.stats = subscriptions.stats();
        this.payloads = payloads;
        this.names = names;
        this.cluster = cluster;
        this.clusterPatterns = clusterPatterns;
        this.streamScript = !cluster ? PublishCommand.STREAM_PUBLISH
                : clusterPatterns ? PublishCommand.STREAM_SPUBLISH_AND_PUBLISH : PublishCommand.STREAM_SPUBLISH;
    }

    /** See {@link RedisHub#publish}. */
    PublishResult publish(Key key, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (key.isPattern()) {
            key.requireConcrete();
        }
        if (connector.isClosed()) {
            return stats.published(PublishResult.CLOSED);
        }
        Link l = connector.readyLink();
        if (l == null) {
            return stats.published(PublishResult.DISCONNECTED);
        }
        Integer replay = subscriptions.replayOf(key);
        boolean twice = replay == null && cluster && clusterPatterns;
        int places = twice ? 2 : 1;
        CommandWriter writer = l.writer;
        if (!writer.tryAcquire(places)) {
            return stats.published(PublishResult.BACK_PRESSURED);
        }
        byte[] bytes;
        try {
            bytes = payloads.encode(key, payload);
        } catch (RuntimeException e) {
            writer.release(places);
            throw e;
        }
        String channel = names.channel(key);
        if (replay != null) {
            writer.write(PublishCommand.streamPublish(streamScript, channel, replay, bytes, writer));
        } else {
            writer.write(PublishCommand.publish(cluster, channel, bytes, writer));
            if (twice) {
                PublishCommand classic = PublishCommand.publish(false, channel, bytes, writer);
                writer.execute(() -> l.commands.classic().dispatch(classic));
            }
        }
        return stats.published(PublishResult.SENT);
    }

    /** See {@link RedisHub#publishAndCount}. */
    Mono<Long> publishAndCount(Key key, Object payload) {
        Objects.requireNonNull(payload, "payload");
        key.requireConcrete();
        return Mono.defer(() -> {
            if (connector.isClosed()) {
                return Mono.error(new IllegalStateException("redis hub " + connector.name()
                        + " is closed: cannot publish to '" + key + "'"));
            }
            Link l = connector.readyLink();
            if (l == null) {
                return Mono.error(connector.notConnected("publish to '" + key + "'"));
            }
            byte[] bytes = payloads.encode(key, payload);
            String channel = names.channel(key);
            Integer replay = subscriptions.replayOf(key);
            CommandWriter writer = l.writer;
            if (replay != null) {
                return Mono.fromCompletionStage(send(writer, CommandType.EVAL,
                        PublishCommand.scriptArgs(streamScript, channel, replay, bytes)));
            }
            if (!cluster) {
                return Mono.fromCompletionStage(send(writer, CommandType.PUBLISH,
                        PublishCommand.args(channel, bytes)));
            }
            Mono<Long> sharded = Mono.fromCompletionStage(send(writer, CommandType.SPUBLISH,
                    PublishCommand.args(channel, bytes)));
            if (!clusterPatterns) {
                return sharded;
            }
            AsyncCommand<String, byte[], Long> classic = counted(CommandType.PUBLISH,
                    PublishCommand.args(channel, bytes));
            writer.execute(() -> l.commands.classic().dispatch(classic));
            return sharded.zipWith(Mono.fromCompletionStage(classic), Long::sum);
        });
    }

    private static CompletableFuture<Long> send(CommandWriter writer, CommandType type,
            CommandArgs<String, byte[]> args) {
        AsyncCommand<String, byte[], Long> command = counted(type, args);
        writer.write(command);
        return command;
    }

    /** A command whose reply is an integer (how many received), as a future. */
    private static AsyncCommand<String, byte[], Long> counted(CommandType type, CommandArgs<String, byte[]> args) {
        return new AsyncCommand<>(new Command<>(type, new IntegerOutput<>(Backend.CODEC), args));
    }
}
