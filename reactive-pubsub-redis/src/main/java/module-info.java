/**
 * reactive-pubsub Redis: the {@link io.github.reactivepubsub.Hub} on Redis pub/sub and Redis Streams, one server or a
 * cluster, through Lettuce ({@link io.github.reactivepubsub.redis.RedisHub}).
 */
module io.github.reactivepubsub.redis {
    requires transitive io.github.reactivepubsub;
    requires transitive lettuce.core;
    requires static transitive org.jspecify;

    exports io.github.reactivepubsub.redis;
}
