package io.github.reactivepubsub;

/**
 * One delivered message: the concrete key it was published under (so wildcard subscribers know what matched) and
 * its payload.
 *
 * @param key the concrete key the message was published to
 * @param payload the payload, as published
 * @param <T> the payload type
 */
public record Message<T>(Key key, T payload) {
}
