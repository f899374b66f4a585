/**
 * Sessions: a {@link io.github.reactivepubsub.session.DuplexConnection} transport SPI (with an in-memory pair,
 * {@link io.github.reactivepubsub.session.InMemoryConnections}, for tests and in-process peers), a
 * {@link io.github.reactivepubsub.session.FrameDecoder} that turns a byte stream split or merged arbitrarily into
 * messages, and {@link io.github.reactivepubsub.session.Session}s whose {@code inbound()} demand is the dispatching,
 * with heartbeats on exact idle rules driven by a Reactor {@code Scheduler}.
 *
 * <p>{@link io.github.reactivepubsub.session.HeartbeatMonitor} is nasdaq_protocols' fixed-period monitor, kept for
 * applications that port code relying on its contract; the library's own heartbeats and timeouts use exact idle
 * rules instead.
 */
@NullMarked
package io.github.reactivepubsub.session;

import org.jspecify.annotations.NullMarked;
