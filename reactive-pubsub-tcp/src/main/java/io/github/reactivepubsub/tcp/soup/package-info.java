/**
 * SoupBinTCP 3.00 over Reactor Netty: {@link io.github.reactivepubsub.tcp.soup.SoupBinTcpServer} (login through an
 * {@link io.github.reactivepubsub.tcp.soup.Authenticator}, a sequenced stream per session backed by a
 * {@link io.github.reactivepubsub.tcp.soup.MessageStore}, replay, heartbeats, end of session) and
 * {@link io.github.reactivepubsub.tcp.soup.SoupBinTcpClient} (login, sequenced messages with their numbers,
 * unsequenced data, heartbeats, logout, reconnect that resumes at the next expected sequence number).
 *
 * <p>Wire format, field rules and session rules follow {@code docs/soupbintcp.md} in the
 * repository. The packet model and codec are
 * package-private: the protocol is spoken only through the server and client.
 *
 * <h2>Why not on the {@code Session} layer</h2>
 * The {@link io.github.reactivepubsub.session.Session} layer queues decoded messages between one read and one
 * dispatcher or puller, over a transport that copies each inbound frame into a heap {@code ByteBuffer}. SoupBinTCP
 * needs neither: the server's reply to a login is a stream read from the session's store and written as the socket
 * accepts bytes, with heartbeats put in when idle, and the client consumes packets in order as one Flux whose
 * demand reaches the socket directly. Both therefore decode straight from Netty's {@code ByteBuf}s (payloads handed on
 * without an extra copy) and share with sessions what is common: {@link io.github.reactivepubsub.ProtocolException}
 * for malformed bytes and the one idle-time primitive ({@code internal.IdleTimer}) for heartbeats and silence
 * timeouts. The throughput and allocation goals in {@code benchmarks/README.md} are measured on this path.
 */
@NullMarked
package io.github.reactivepubsub.tcp.soup;

import org.jspecify.annotations.NullMarked;
