/**
 * TCP transports: sessions over Reactor Netty, SoupBinTCP 3.00 client and server, and the remote hub.
 *
 * <p>Sessions over TCP: {@link io.github.reactivepubsub.tcp.TcpSessions} binds a server
 * ({@link io.github.reactivepubsub.tcp.TcpSessionServer}) or connects a client, each taking a host and port or a
 * pre-configured {@code TcpServer} / {@code TcpClient} (TLS, event loops, metrics), with immutable
 * {@link io.github.reactivepubsub.tcp.TcpSessionOptions}. Frames are the core's 4-byte big-endian length prefix,
 * split in the Netty pipeline; reading follows the sessions' demand, so backpressure reaches the peer through TCP.
 */
@NullMarked
package io.github.reactivepubsub.tcp;

import org.jspecify.annotations.NullMarked;
