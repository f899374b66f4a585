/**
 * Sessions: a {@link io.github.reactivepubsub.session.DuplexConnection} transport SPI (with an in-memory pair), a
 * {@link io.github.reactivepubsub.session.FrameDecoder} that turns a byte stream split or merged arbitrarily into
 * messages, {@link io.github.reactivepubsub.session.Session}s whose {@code inbound()} demand is the dispatching,
 * and a {@link io.github.reactivepubsub.session.HeartbeatMonitor} driven by a Reactor {@code Scheduler}.
 */
@NullMarked
package io.github.reactivepubsub.session;

import org.jspecify.annotations.NullMarked;
