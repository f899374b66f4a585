package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * What arrives on the pub/sub connection, routed to the plain topics it belongs to: a channel's (or shard channel's)
 * message to the topic of that channel; a glob's message, parsed back into a key, to each topic of the glob whose
 * pattern matches the key with our rules (Redis's {@code *} also crosses dots, so a glob may match more than its
 * pattern); decoded once per message. A message that cannot be decoded (or is larger than
 * {@link RedisHubOptions#maxMessageBytes()}) ends the topics it reached with a {@link RedisHubException}; the others
 * go on.
 *
 * <p>Threading: called on Lettuce's event loop of the pub/sub connection, one message at a time, in the order Redis
 * sent them. Lock-free: the routing tables are read as {@link Subscriptions} publishes them, and emitting into a topic
 * takes only that topic's monitor.
 */
final class Arrivals extends RedisPubSubAdapter<String, byte[]> {

    private static final Logger LOG = Loggers.getLogger(Arrivals.class);

    private final Subscriptions subscriptions;
    private final Payloads payloads;
    private final ChannelNames names;
    private final String hubName;

    Arrivals(Subscriptions subscriptions, Payloads payloads, ChannelNames names, String hubName) {
        this.subscriptions = subscriptions;
        this.payloads = payloads;
        this.names = names;
        this.hubName = hubName;
    }

    @Override
    public void message(String channel, byte[] message) {
        onChannel(channel, message);
    }

    @Override
    public void message(String pattern, String channel, byte[] message) {
        onGlob(pattern, channel, message);
    }

    @Override
    public void smessage(String shardChannel, byte[] message) {
        onChannel(shardChannel, message);
    }

    /** A message of a channel (SUBSCRIBE) or shard channel (SSUBSCRIBE). */
    private void onChannel(String channel, byte[] bytes) {
        Topic t = subscriptions.channelTopic(channel);
        if (t == null) {
            return; // withdrawn meanwhile
        }
        Object payload;
        try {
            payload = payloads.decode(channel, bytes);
        } catch (RedisHubException e) {
            subscriptions.fail(t, e);
            return;
        }
        t.emit(new Message<>(t.pattern, payload));
    }

    /** A message of a glob (PSUBSCRIBE): filtered with our rules for each topic of the glob. */
    private void onGlob(String glob, String channel, byte[] bytes) {
        Topic[] candidates = subscriptions.globTopics(glob);
        if (candidates == null) {
            return;
        }
        Key key = names.key(channel);
        if (key == null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("redis {}: ignored a message on channel '{}': not a key of namespace '{}'", hubName,
                        ChannelNames.printable(channel), ChannelNames.printable(names.namespace()));
            }
            return;
        }
        Message<Object> message = null;
        for (Topic t : candidates) {
            if (!t.pattern.matches(key)) {
                continue; // Redis's '*' crossed a dot, or '**' matched a longer first segment
            }
            if (message == null) {
                try {
                    message = new Message<>(key, payloads.decode(channel, bytes));
                } catch (RedisHubException e) {
                    for (Topic failing : candidates) {
                        if (failing.pattern.matches(key)) {
                            subscriptions.fail(failing, e);
                        }
                    }
                    return;
                }
            }
            t.emit(message);
        }
    }
}
