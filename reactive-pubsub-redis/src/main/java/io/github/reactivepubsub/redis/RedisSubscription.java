package io.github.reactivepubsub.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * One Redis subscription of the hub's pub/sub connection: a channel ({@code SUBSCRIBE}), a shard channel
 * ({@code SSUBSCRIBE}, cluster mode) or a glob ({@code PSUBSCRIBE}), shared by the topics that map to it: sent when
 * the first of them appears (and again on every new connection), withdrawn when the last one goes. Changed under the
 * hub lock only ({@link Connector#lock}, see {@link Subscriptions}).
 */
final class RedisSubscription {

    /** How the subscription is made. */
    enum Kind {
        CHANNEL, SHARD, PATTERN
    }

    final Kind kind;
    final String name;
    final List<Topic> topics = new ArrayList<>(1);
    /** Redis confirmed it once: its topics count their subscribers from then on. */
    boolean confirmed;
    /** No topic uses it any more. */
    boolean released;

    RedisSubscription(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** @return the key of this subscription in the hub's table */
    static String id(Kind kind, String name) {
        return kind.ordinal() + name;
    }

    @Override
    public String toString() {
        return kind + " " + ChannelNames.printable(name);
    }
}
