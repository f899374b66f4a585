/**
 * SoupBinTCP 3.00 over Reactor Netty: {@link io.github.reactivepubsub.tcp.soup.SoupBinTcpServer} (login through an
 * {@link io.github.reactivepubsub.tcp.soup.Authenticator}, a sequenced stream per session backed by a
 * {@link io.github.reactivepubsub.tcp.soup.MessageStore}, replay, heartbeats, end of session) and
 * {@link io.github.reactivepubsub.tcp.soup.SoupBinTcpClient} (login, sequenced messages with their numbers,
 * unsequenced data, heartbeats, logout, reconnect that resumes at the next expected sequence number).
 *
 * <p>Wire format, field rules and session rules follow {@code docs/soupbintcp.md} in the repository. The packet
 * model and codec are
 * package-private: the protocol is spoken only through the server and client.
 */
@NullMarked
package io.github.reactivepubsub.tcp.soup;

import org.jspecify.annotations.NullMarked;
