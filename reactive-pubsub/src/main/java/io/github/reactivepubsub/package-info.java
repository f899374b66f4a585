/**
 * The hub: topics as hot {@link reactor.core.publisher.Flux}es keyed by hierarchical {@link io.github.reactivepubsub.Key}s
 * with wildcard patterns, bounded per-subscriber buffers with overflow policies, and the facades in the shape of
 * aiopubsub ({@link io.github.reactivepubsub.Hub#publisher}), dask ({@link io.github.reactivepubsub.Pub} /
 * {@link io.github.reactivepubsub.Sub}) and pulsar ({@link io.github.reactivepubsub.Channels}).
 */
@NullMarked
package io.github.reactivepubsub;

import org.jspecify.annotations.NullMarked;
