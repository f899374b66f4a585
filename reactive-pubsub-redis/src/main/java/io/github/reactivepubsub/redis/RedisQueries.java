package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What Redis knows of every client's subscriptions (pulsar's {@code count} and {@code channels}): {@code PUBSUB
 * NUMSUB} and {@code PUBSUB CHANNELS}, or in cluster mode {@code SHARDNUMSUB} / {@code SHARDCHANNELS} asked of the
 * shards that know (each shard knows its own shard channels only).
 *
 * <p>Thread-safe and non-blocking: lazy Monos whose commands go through the link's {@link CommandWriter} (in order
 * with this hub's publishes); in cluster mode the node connections are obtained asynchronously.
 */
final class RedisQueries {

    private final Connector connector;
    private final ChannelNames names;
    private final boolean cluster;

    RedisQueries(Connector connector, ChannelNames names, boolean cluster) {
        this.connector = connector;
        this.names = names;
        this.cluster = cluster;
    }

    /** See {@link RedisHub#count}. */
    Mono<Map<Key, Long>> count(Key... keys) {
        List<Key> wanted = List.of(keys);
        String[] channels = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            channels[i] = names.channel(keys[i].requireConcrete());
        }
        return Mono.defer(() -> {
            Link l = connector.readyLink();
            if (l == null) {
                return Mono.error(connector.notConnected("count subscribers"));
            }
            Mono<Map<String, Long>> counts;
            if (!cluster) {
                counts = Mono.fromCompletionStage(l.writer.call(() -> l.commands.async().pubsubNumsub(channels)));
            } else {
                counts = Flux.fromArray(channels)
                        .concatMap(c -> Mono.fromCompletionStage(l.writer.call(() -> l.commands.shardOf(c)
                                .thenCompose(shard -> shard.pubsubShardNumsub(c)))))
                        .collect(HashMap::new, Map::putAll);
            }
            return counts.map(found -> {
                Map<Key, Long> result = new LinkedHashMap<>();
                for (int i = 0; i < channels.length; i++) {
                    result.put(wanted.get(i), found.getOrDefault(channels[i], 0L));
                }
                return result;
            });
        });
    }

    /** See {@link RedisHub#channels}. */
    Mono<List<Key>> channels(Key pattern) {
        String glob = pattern.isPattern() ? names.glob(pattern) : ChannelNames.escape(names.channel(pattern));
        return Mono.defer(() -> {
            Link l = connector.readyLink();
            if (l == null) {
                return Mono.error(connector.notConnected("list channels"));
            }
            Mono<List<String>> channels = !cluster
                    ? Mono.fromCompletionStage(l.writer.call(() -> l.commands.async().pubsubChannels(glob)))
                    : Mono.fromCompletionStage(l.commands.masters())
                            .flatMapMany(Flux::fromIterable)
                            .concatMap(m -> Mono.fromCompletionStage(l.writer.call(() -> m.pubsubShardChannels(glob))))
                            .collect(ArrayList::new, List::addAll);
            return channels.map(found -> {
                List<Key> keys = new ArrayList<>();
                for (String channel : found) {
                    Key key = names.key(channel);
                    if (key != null && pattern.matches(key)) {
                        keys.add(key);
                    }
                }
                keys.sort(Comparator.comparing(Key::toString));
                return keys;
            });
        });
    }
}
