/**
 * reactive-pubsub core: the {@link io.github.reactivepubsub.Hub} with hierarchical keys and bounded per-subscriber
 * buffers, the facades in the shape of dask and pulsar, binary codecs, sessions with heartbeats, and Micrometer
 * binders.
 *
 * <p>Exports only API packages; every implementation is package-private inside them. Micrometer is optional
 * ({@code requires static}): only {@link io.github.reactivepubsub.micrometer} uses it.
 */
module io.github.reactivepubsub {
    requires transitive org.reactivestreams;
    requires transitive reactor.core;
    requires static transitive org.jspecify;
    requires static micrometer.core;

    exports io.github.reactivepubsub;
    exports io.github.reactivepubsub.codec;
    exports io.github.reactivepubsub.facade;
    exports io.github.reactivepubsub.micrometer;
    exports io.github.reactivepubsub.session;
    // internal: the idle-time primitive shared by our transports, the hubs' topic counts, the options' range checks,
    // the escaping of outside text for logs; not an API
    exports io.github.reactivepubsub.internal to io.github.reactivepubsub.mmap, io.github.reactivepubsub.tcp,
            io.github.reactivepubsub.redis;
}
