/**
 * The Python ancestors' shapes over any {@link io.github.reactivepubsub.Hub}: dask's named topics
 * ({@link io.github.reactivepubsub.facade.Pub} / {@link io.github.reactivepubsub.facade.Sub}) and pulsar's channels
 * and events ({@link io.github.reactivepubsub.facade.Channels}). They use only the {@code Hub} interface, so they work
 * the same on the in-process, remote and Redis hubs.
 */
@NullMarked
package io.github.reactivepubsub.facade;

import org.jspecify.annotations.NullMarked;
