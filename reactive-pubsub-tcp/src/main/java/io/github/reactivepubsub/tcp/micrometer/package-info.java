/**
 * Micrometer binders for the TCP module: {@link io.github.reactivepubsub.tcp.micrometer.SoupMetrics} for a
 * SoupBinTCP server or client. A remote hub and a broker are bound with the core's binders:
 * {@code HubMetrics.of(remoteHub)} and {@code SessionMetrics.of(remoteHub.connectionStats(), ...)} /
 * {@code SessionMetrics.of(broker.connectionStats(), ...)}.
 *
 * <p>Micrometer is an optional dependency: add {@code io.micrometer:micrometer-core} to use this package.
 */
@NullMarked
package io.github.reactivepubsub.tcp.micrometer;

import org.jspecify.annotations.NullMarked;
