/**
 * reactive-pubsub TCP: sessions over Reactor Netty ({@link io.github.reactivepubsub.tcp}), SoupBinTCP 3.00
 * ({@link io.github.reactivepubsub.tcp.soup}), the remote hub client ({@link io.github.reactivepubsub.tcp.remote})
 * and broker ({@link io.github.reactivepubsub.tcp.broker}), and Micrometer binders.
 *
 * <p>The wire frames shared by the client and the broker ({@code io.github.reactivepubsub.tcp.wire}) are internal:
 * not exported.
 */
module io.github.reactivepubsub.tcp {
    requires transitive io.github.reactivepubsub;
    requires transitive reactor.netty.core;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires static transitive org.jspecify;
    requires static micrometer.core;

    exports io.github.reactivepubsub.tcp;
    exports io.github.reactivepubsub.tcp.broker;
    exports io.github.reactivepubsub.tcp.micrometer;
    exports io.github.reactivepubsub.tcp.remote;
    exports io.github.reactivepubsub.tcp.soup;
}
