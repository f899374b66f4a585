/**
 * Shared-memory datagram feeds: one publisher process broadcasts through a memory-mapped file to any number of
 * subscriber processes, which poll it on a dedicated thread and see the datagrams as a hot {@code Flux}.
 *
 * <p>Two layouts ({@link io.github.reactivepubsub.mmap.Layout}): {@code RTG}, byte-compatible with Ready Trader
 * Go's feed files, and {@code NATIVE}, a versioned broadcast ring that detects and counts loss. Entry points:
 * {@link io.github.reactivepubsub.mmap.FeedFactory} (type and name to file),
 * {@link io.github.reactivepubsub.mmap.MmapPublisher}, {@link io.github.reactivepubsub.mmap.MmapSubscriber} and
 * {@link io.github.reactivepubsub.mmap.FeedBridge}.
 */
@NullMarked
package io.github.reactivepubsub.mmap;

import org.jspecify.annotations.NullMarked;
