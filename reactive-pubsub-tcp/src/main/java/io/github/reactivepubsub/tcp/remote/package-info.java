/**
 * The remote hub's client: {@link io.github.reactivepubsub.tcp.remote.RemoteHub} implements
 * {@link io.github.reactivepubsub.Hub} over a TCP connection to a broker
 * ({@link io.github.reactivepubsub.tcp.broker.PubSubServer}), with credit-based flow control per remote subscription,
 * heartbeats, reconnection with back-off and automatic resubscription. {@link io.github.reactivepubsub.tcp.remote.ErrorCode}
 * names the protocol's errors, as both sides report them. The wire protocol is documented in
 * {@code docs/wire-protocol.md} and implemented in {@code tcp.wire}.
 */
@NullMarked
package io.github.reactivepubsub.tcp.remote;

import org.jspecify.annotations.NullMarked;
