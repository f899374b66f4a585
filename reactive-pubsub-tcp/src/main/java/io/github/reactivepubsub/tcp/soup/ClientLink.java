package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.internal.IdleTimer;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

/**
 * The client side of one SoupBinTCP connection, independent of the transport: sends {@code L}, expects {@code A}
 * or {@code J}, then turns {@code S} packets into numbered {@link SequencedMessage}s (counting from the number in
 * {@code A}), completes on {@code Z}, and fails when the connection ends otherwise ({@code docs/soupbintcp.md},
 * sections 4 to 8).
 *
 * <p>Outbound: {@code L} first; once {@code A} arrived, queued {@code U} / {@code +} / {@code O} packets and a
 * Client Heartbeat after each idle interval. After {@code O} nothing more is sent and a close by the server
 * completes the messages normally.
 *
 * <p>Threading: inbound signals are serialized; {@link #send} may be called from any thread (offers are
 * serialized by a lock held only to enqueue).
 */
final class ClientLink {

    private static final Logger LOG = Loggers.getLogger(SoupBinTcpClient.class);

    /** Where the link reports its progress: the client's resume point and its login state. */
    interface Listener {
        void loggedIn(ClientLink link, String session, long nextExpected);

        void received(long nextExpected);
    }

    private final SoupPacket.LoginRequest login;
    private final SoupClientOptions options;
    private final String peer;
    private final Listener listener;
    private final Sinks.Many<SoupPacket> queue;
    private final Sinks.Empty<Void> accepted = Sinks.empty();

    // confined to the inbound thread
    private volatile boolean loggedIn;
    private long nextExpected;
    private boolean endOfSession;
    private volatile boolean logoutSent;
    private volatile boolean closed;

    ClientLink(SoupPacket.LoginRequest login, SoupClientOptions options, String peer, Listener listener) {
        this.login = login;
        this.options = options;
        this.peer = peer;
        this.listener = listener;
        this.queue = Sinks.many().unicast().onBackpressureBuffer(
                Queues.<SoupPacket>get(options.sendQueueSize()).get());
    }

    /** @return the packets to send: {@code L}, then (after {@code A}) queued packets and heartbeats */
    Flux<SoupPacket> outbound() {
        Flux<SoupPacket> afterLogin = accepted.asMono().thenMany(Flux.defer(() -> IdleTimer.withIdleHeartbeats(
                queue.asFlux(), SoupPacket.ClientHeartbeat.INSTANCE, options.heartbeatInterval(),
                options.scheduler())));
        return Flux.concat(Mono.just(login), afterLogin)
                .doOnDiscard(SoupPacket.class, ReferenceCountUtil::release);
    }

    /**
     * Queues a packet for sending.
     *
     * @return completes once queued; errors with {@link IllegalStateException} after logout or close, or when
     *     {@link SoupClientOptions#sendQueueSize()} packets are already waiting
     */
    Mono<Void> send(SoupPacket packet) {
        return Mono.defer(() -> {
            Sinks.EmitResult result;
            synchronized (this) {
                if (closed || logoutSent) {
                    result = Sinks.EmitResult.FAIL_TERMINATED;
                } else {
                    boolean logout = packet == SoupPacket.LogoutRequest.INSTANCE;
                    // set before the O can reach the server, whose close may race with the rest of this method
                    logoutSent = logout;
                    result = queue.tryEmitNext(packet);
                    if (logout) {
                        if (result.isSuccess()) {
                            queue.tryEmitComplete();
                        } else {
                            logoutSent = false;
                        }
                    }
                }
            }
            if (result.isSuccess()) {
                return Mono.empty();
            }
            ReferenceCountUtil.release(packet);
            return Mono.error(new IllegalStateException(result == Sinks.EmitResult.FAIL_OVERFLOW
                    ? "cannot send " + packet + " to " + peer + ": " + options.sendQueueSize()
                    + " packets already wait for the socket"
                    : "cannot send " + packet + " to " + peer + ": " + (logoutSent ? "logged out" : "not connected")));
        });
    }

    /**
     * @param inbound what the client's decoder passes on: {@link SoupPacket}s, and each {@code S} as its
     *     {@link SequencedMessage} (data packets are released by their source after delivery)
     * @return the sequenced messages; completes after {@code Z} (or after a close that follows our logout); errors
     *     with {@link LoginRejectedException}, {@link ConnectionLostException}, {@link IdleTimeoutException},
     *     {@link TimeoutException} (no login reply in time) or {@link ProtocolException}
     */
    Flux<SequencedMessage> messages(Flux<?> inbound) {
        // One timer for both: the login reply within the login timeout, then anything within the receive timeout.
        // Every packet is handled here as it arrives, before anything that may hold it: the transport releases a
        // reference-counted packet as soon as it was delivered (an S arrives as an owned SequencedMessage).
        Flux<SequencedMessage> messages = IdleTimer.failOnSilence(inbound,
                packets -> packets
                        .onErrorMap(e -> !(e instanceof ProtocolException), e -> new ConnectionLostException(
                                "SoupBinTCP: connection to " + peer + " failed" + resumeNote(), e))
                        .<SequencedMessage>handle(this::onPacket),
                options.loginTimeout(), options.receiveTimeout(), options.scheduler(), () -> loggedIn
                        ? new IdleTimeoutException("SoupBinTCP: nothing received from " + peer + " for "
                                + options.receiveTimeout() + " (next expected sequence " + nextExpected + ")")
                        : new TimeoutException("no Login Accepted / Rejected from " + peer + " within "
                                + options.loginTimeout()))
                .concatWith(Mono.defer(() -> endOfSession || logoutSent ? Mono.empty()
                        : Mono.error(new ConnectionLostException("SoupBinTCP: connection to " + peer
                                + " closed without End of Session" + resumeNote()))));
        return messages.doFinally(signal -> close());
    }

    private String resumeNote() {
        return loggedIn ? " (next expected sequence " + nextExpected + ")" : " before a login reply";
    }

    private void close() {
        synchronized (this) {
            closed = true;
            queue.tryEmitComplete();
        }
        accepted.tryEmitEmpty();
    }

    private void onPacket(Object packet, SynchronousSink<SequencedMessage> sink) {
        if (packet instanceof SequencedMessage message && loggedIn) {
            // the decoder's copy, numbered from the same Login Accepted: owned, never modified
            if (message.sequence() > SoupFields.MAX_SEQUENCE) {
                sink.error(new ProtocolException(-1, "SoupBinTCP: Sequenced Data from " + peer + " numbered "
                        + message.sequence() + ", beyond the largest sequence number " + SoupFields.MAX_SEQUENCE));
                return;
            }
            nextExpected = message.sequence() + 1;
            listener.received(nextExpected);
            sink.next(message);
        } else if (packet == SoupPacket.ServerHeartbeat.INSTANCE && loggedIn) {
            return;
        } else if (packet instanceof SoupPacket.Debug debug) {
            LOG.info("SoupBinTCP client: debug from {}: {}", peer, PeerText.escape(debug.text(), 256));
        } else if (packet instanceof SoupPacket.LoginAccepted a && !loggedIn) {
            if (a.sequence() > SoupFields.MAX_SEQUENCE) {
                sink.error(new ProtocolException(-1, "SoupBinTCP: Login Accepted from " + peer + " has the sequence "
                        + "number " + a.sequence() + ", beyond the largest " + SoupFields.MAX_SEQUENCE));
                return;
            }
            loggedIn = true;
            nextExpected = a.sequence();
            LOG.info("SoupBinTCP client: logged in to {} session '{}' at sequence {}", peer,
                    PeerText.escape(a.session()), a.sequence());
            listener.loggedIn(this, a.session(), nextExpected);
            accepted.tryEmitEmpty();
        } else if (packet instanceof SoupPacket.LoginRejected j && !loggedIn) {
            sink.error(new LoginRejectedException(j.reason(), "user " + login.username() + ", session '"
                    + login.session() + "' at " + peer));
        } else if (packet == SoupPacket.EndOfSession.INSTANCE && loggedIn) {
            endOfSession = true;
            LOG.info("SoupBinTCP client: end of session from {} (next sequence would be {})", peer, nextExpected);
            sink.complete();
        } else {
            SoupPacketType type = packet instanceof SoupPacket p ? p.type() : SoupPacketType.SEQUENCED_DATA;
            sink.error(new ProtocolException(-1, "SoupBinTCP: unexpected " + type + " from " + peer
                    + (loggedIn ? " after login" : " before Login Accepted / Rejected")));
        }
    }

    static SoupPacket unsequenced(byte[] payload) {
        return new SoupPacket.UnsequencedData(Unpooled.wrappedBuffer(payload));
    }
}
