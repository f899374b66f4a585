/**
 * reactive-pubsub shared memory: memory-mapped datagram feeds in Ready Trader Go's layout and in a versioned
 * broadcast ring with loss detection ({@link io.github.reactivepubsub.mmap}), and their Micrometer binder.
 */
module io.github.reactivepubsub.mmap {
    requires transitive io.github.reactivepubsub;
    requires static transitive org.jspecify;
    requires static micrometer.core;

    exports io.github.reactivepubsub.mmap;
    exports io.github.reactivepubsub.mmap.micrometer;
}
