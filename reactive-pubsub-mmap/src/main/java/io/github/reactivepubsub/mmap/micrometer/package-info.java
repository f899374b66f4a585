/**
 * Micrometer binder for shared-memory feeds: {@link io.github.reactivepubsub.mmap.micrometer.MmapMetrics}.
 *
 * <p>Micrometer is an optional dependency: add {@code io.micrometer:micrometer-core} to use this package.
 */
@NullMarked
package io.github.reactivepubsub.mmap.micrometer;

import org.jspecify.annotations.NullMarked;
