/**
 * The hub: topics as hot {@link reactor.core.publisher.Flux}es keyed by hierarchical {@link io.github.reactivepubsub.Key}s
 * with wildcard patterns, bounded per-subscriber buffers with overflow policies, replay, introspection and
 * aiopubsub's prefixed publishers ({@link io.github.reactivepubsub.Hub#publisher}). The in-process engine
 * ({@code LocalHub}, its route trie and per-topic emitters) is package-private beside the {@link
 * io.github.reactivepubsub.Hub} interface. The facades in the shape of dask and pulsar live in
 * {@link io.github.reactivepubsub.facade}.
 */
@NullMarked
package io.github.reactivepubsub;

import org.jspecify.annotations.NullMarked;
