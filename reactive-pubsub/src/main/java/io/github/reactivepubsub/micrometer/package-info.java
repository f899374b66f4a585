/**
 * Micrometer binders for the core: {@link io.github.reactivepubsub.micrometer.HubMetrics} (any
 * {@link io.github.reactivepubsub.Hub}) and {@link io.github.reactivepubsub.micrometer.SessionMetrics} (sessions and
 * connections sharing a {@link io.github.reactivepubsub.session.SessionStats}).
 *
 * <p>Micrometer ({@code io.micrometer:micrometer-core}) is an optional dependency of this library: add it (Spring
 * Boot's Actuator brings it) to use this package; nothing else in the library loads it. Meter names follow
 * Micrometer's conventions (dot-separated, lower case, {@code reactive.pubsub.} first); each registry renders them
 * its own way (Prometheus: {@code reactive_pubsub_hub_published_total}).
 */
@NullMarked
package io.github.reactivepubsub.micrometer;

import org.jspecify.annotations.NullMarked;
