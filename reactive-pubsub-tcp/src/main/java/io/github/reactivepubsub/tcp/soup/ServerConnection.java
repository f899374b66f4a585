package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.internal.IdleTimer;
import io.github.reactivepubsub.internal.TakeUntilOther;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.SocketAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The server side of one SoupBinTCP connection, independent of the transport: turns the packets received from the
 * client into the packets to send back ({@code docs/soupbintcp.md}, sections 4 to 8).
 *
 * <p>Before login only {@code L} (and {@code +}) is accepted, within the login timeout. A login is checked by the
 * {@link Authenticator}, then against the session, its requested sequence number and its retained range, and
 * answered with {@code J} (then close) or {@code A} followed by the session's messages from the requested number
 * (a number beyond the stream, even one of 20 digits, starts from the next message; a sequence field that is not a
 * number, e.g. blank, negative or with letters, is answered {@code J S} and logged), heartbeats after idle, and
 * {@code Z} once the session ended. Afterwards {@code U} goes to the application, {@code R} only counts as
 * activity, {@code +} is logged, {@code O} closes; a second {@code L}, silence beyond the receive timeout or any
 * decoding error closes the connection with the reason logged. Each close is logged once with its reason.
 *
 * <p>Threading: inbound packets arrive serialized (one connection); the outbound stream may be driven from the
 * store's appending threads and the scheduler's timers. Data packets received are only read synchronously: the
 * transport releases them after delivery.
 */
final class ServerConnection {

    private static final Logger LOG = Loggers.getLogger(SoupBinTcpServer.class);

    private final SoupServerState server;
    private final SoupServerOptions options;
    private final SocketAddress remote;
    private final Sinks.Empty<Void> clientDone = Sinks.empty();
    private final Sinks.One<Flux<Object>> reply = Sinks.one();
    private final Sinks.Empty<Void> loggedIn = Sinks.empty();

    // confined to the inbound thread (serialized signals)
    private boolean loginSeen;
    private String username = "";
    private String session = "";
    private volatile String closeReason = "the client closed the connection";
    private volatile @Nullable Throwable closeError;

    ServerConnection(SoupServerState server, SocketAddress remote) {
        this.server = server;
        this.options = server.options;
        this.remote = remote;
    }

    /**
     * @param inbound the packets from the client (data packets are released by their source after delivery)
     * @return what to send: {@link SoupPacket}s, and each {@code S} of the stream as the stored
     *     {@link SequencedMessage} itself (no packet object per message); completes when the connection must close
     *     (never errors: errors are logged)
     */
    Flux<Object> outbound(Flux<SoupPacket> inbound) {
        Mono<Void> loginDeadline = Mono.delay(options.loginTimeout(), options.scheduler())
                .then(Mono.<Void>error(() -> new ProtocolException(-1, "SoupBinTCP: no Login Request "
                        + "within the login timeout " + options.loginTimeout())))
                .takeUntilOther(Mono.firstWithSignal(loggedIn.asMono(), clientDone.asMono()));
        // packets become owned values (U payloads copied) in onPacket, before any operator that may queue: the
        // transport releases each packet's buffer as soon as it was delivered
        Flux<Void> processed = IdleTimer.failOnSilence(inbound,
                packets -> packets.doOnComplete(() -> clientDone.tryEmitEmpty()).handle(this::onPacket),
                options.receiveTimeout(), options.receiveTimeout(), options.scheduler(),
                () -> new IdleTimeoutException("SoupBinTCP: nothing received from " + remote + " for "
                        + options.receiveTimeout() + " (expected data or a Client Heartbeat at least every "
                        + options.heartbeatInterval() + ")"));
        // completes on Logout or when the client closes, errors on a protocol error or a timeout
        Mono<Void> inboundDone = Flux.merge(loginDeadline, processed).then();
        // The reply (A + stream + Z, or J) goes straight to the socket: no queue between the store and the writes.
        // It ends when the inbound side ends (and then cancels the inbound side when it ends first).
        server.stats.connections().recordOpened();
        return TakeUntilOther.of(reply.asMono().flatMapMany(packets -> packets), inboundDone)
                .onErrorResume(error -> {
                    closeReason = error.getMessage() == null ? error.toString() : error.getMessage();
                    closeError = error;
                    if (error instanceof ProtocolException || error instanceof IdleTimeoutException) {
                        LOG.warn("SoupBinTCP server: closing {} ({}): {}", remote, who(), closeReason);
                    } else {
                        LOG.warn("SoupBinTCP server: closing {} ({}) after an error", remote, who(), error);
                    }
                    return Flux.empty();
                })
                .doFinally(signal -> {
                    server.stats.closed(closeError);
                    LOG.info("SoupBinTCP server: connection {} ({}) closed: {}", remote, who(), closeReason);
                });
    }

    private String who() {
        return loginSeen ? "user " + username + ", session " + session : "not logged in";
    }

    private void onPacket(SoupPacket packet, SynchronousSink<Void> sink) {
        if (packet instanceof SoupPacket.Debug debug) {
            LOG.info("SoupBinTCP server: debug from {} ({}): {}", remote, who(),
                    PeerText.escape(debug.text(), 256));
            return;
        }
        if (packet instanceof SoupPacket.LoginRequest login) {
            if (loginSeen) {
                sink.error(new ProtocolException(-1, "SoupBinTCP: a second Login Request on one connection"));
                return;
            }
            loginSeen = true;
            loggedIn.tryEmitEmpty();
            reply.tryEmitValue(login(login));
            return;
        }
        if (!loginSeen) {
            sink.error(new ProtocolException(-1, "SoupBinTCP: " + packet.type() + " before the Login Request "
                    + "(expected 'L' or '+')"));
            return;
        }
        if (packet instanceof SoupPacket.UnsequencedData data) {
            server.deliver(new UnsequencedMessage(session, username, remote, bytes(data.content())));
        } else if (packet == SoupPacket.LogoutRequest.INSTANCE) {
            closeReason = "logout";
            clientDone.tryEmitEmpty();
            sink.complete();
        } else if (packet != SoupPacket.ClientHeartbeat.INSTANCE) {
            sink.error(new ProtocolException(-1, "SoupBinTCP: unexpected " + packet.type() + " from a client"));
        }
    }

    private static byte[] bytes(ByteBuf content) {
        return ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), true);
    }

    private Flux<Object> login(SoupPacket.LoginRequest login) {
        username = PeerText.escape(login.username());
        SoupSession target = server.resolve(login.session());
        String requested = target != null ? target.name() : (login.session().isEmpty() ? "(current)" : login.session());
        session = PeerText.escape(requested);
        Optional<RejectReason> refused;
        try {
            refused = options.authenticator().authenticate(
                    new SoupLogin(login.username(), login.password(), requested, login.sequence()));
        } catch (RuntimeException e) {
            LOG.error("SoupBinTCP server: the authenticator failed for {}; rejecting", login, e);
            refused = Optional.of(RejectReason.NOT_AUTHORIZED);
        }
        if (refused.isPresent()) {
            return reject(login, refused.get(), "rejected by the authenticator");
        }
        if (target == null) {
            return reject(login, RejectReason.SESSION_NOT_AVAILABLE, "no such session");
        }
        if (login.sequenceError() != null) {
            return reject(login, RejectReason.SESSION_NOT_AVAILABLE, "the requested sequence number is not a number: "
                    + login.sequenceError());
        }
        MessageStore store = target.store();
        long next = store.nextSequence();
        long from = login.sequence() == 0 || login.sequence() > next ? next : login.sequence();
        if (from < store.firstSequence()) {
            return reject(login, RejectReason.SESSION_NOT_AVAILABLE, "sequence " + from
                    + " is no longer retained (oldest " + store.firstSequence() + ")");
        }
        LOG.info("SoupBinTCP server: login accepted from {}: {}, streaming from {}", remote, login, from);
        server.stats.loginAccepted(0, from);
        Flux<Object> stream = Flux.concat(
                Mono.just(new SoupPacket.LoginAccepted(target.name(), from)),
                store.messages(from),
                Mono.fromSupplier(() -> {
                    closeReason = "end of session";
                    return SoupPacket.EndOfSession.INSTANCE;
                }));
        // Ends with the inbound side (logout, the client's close), through the TakeUntilOther of outbound(): no second
        // one here, which would serialize every message once more.
        return IdleTimer.withIdleHeartbeats(stream, SoupPacket.ServerHeartbeat.INSTANCE, options.heartbeatInterval(),
                options.scheduler());
    }

    private Flux<Object> reject(SoupPacket.LoginRequest login, RejectReason reason, String why) {
        LOG.info("SoupBinTCP server: login rejected from {}: {}: {} ({})", remote, login, reason, why);
        closeReason = "login rejected (" + reason + ")";
        server.stats.loginRejected(reason);
        return Flux.just(new SoupPacket.LoginRejected(reason));
    }
}
