/**
 * A {@link io.github.reactivepubsub.Hub} backed by Redis: {@link io.github.reactivepubsub.redis.RedisHub}, its
 * {@link io.github.reactivepubsub.redis.RedisHubOptions} and {@link io.github.reactivepubsub.redis.RedisHubException}.
 * Everything else in this package is an implementation detail.
 */
@NullMarked
package io.github.reactivepubsub.redis;

import org.jspecify.annotations.NullMarked;
