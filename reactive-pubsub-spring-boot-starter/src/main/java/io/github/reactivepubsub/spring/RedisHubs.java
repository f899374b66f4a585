package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisHubOptions;

/**
 * The Redis module's part: loaded only when {@code reactive-pubsub.hub} is {@code redis://} or {@code rediss://} and
 * the module is there. The URI goes to Lettuce as it is (database, password, TLS and timeouts in Lettuce's URI
 * syntax); {@code reactive-pubsub.username} / {@code password} are not used for Redis.
 */
final class RedisHubs {

    private RedisHubs() {
    }

    static Hub create(String uri, Codec<?> codec, ReactivePubSubProperties properties) {
        return RedisHub.create(uri, codec, RedisHubOptions.defaults()
                .subscribeDefaults(properties.subscribeDefaults()));
    }
}
