/**
 * The remote hub: a broker exposing any {@link io.github.reactivepubsub.Hub} over TCP
 * ({@link io.github.reactivepubsub.tcp.remote.PubSubServer}) and a client implementing the same {@code Hub}
 * interface ({@link io.github.reactivepubsub.tcp.remote.RemoteHub}), with credit-based flow control per remote
 * subscription, heartbeats, reconnection with back-off and automatic resubscription. The wire protocol is
 * documented in {@code docs/wire-protocol.md}.
 */
@NullMarked
package io.github.reactivepubsub.tcp.remote;

import org.jspecify.annotations.NullMarked;
