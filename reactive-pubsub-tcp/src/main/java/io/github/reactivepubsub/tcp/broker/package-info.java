/**
 * The remote hub's broker: {@link io.github.reactivepubsub.tcp.broker.PubSubServer} exposes any
 * {@link io.github.reactivepubsub.Hub} over TCP to {@link io.github.reactivepubsub.tcp.remote.RemoteHub} clients. Each
 * remote subscription is a local subscriber of the hub behind its own bounded buffer, released to the socket only as
 * far as the client's credit allows, so one slow connection holds only its own buffers.
 */
@NullMarked
package io.github.reactivepubsub.tcp.broker;

import org.jspecify.annotations.NullMarked;
