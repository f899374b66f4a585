package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.channel.AbortedException;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * {@link Session}s over TCP, on Reactor Netty: a server that runs a handler per accepted session, and a client that
 * connects one session. A thin adapter: TLS, event loops, socket options, metrics and wiretap are configured on the
 * {@link TcpServer} / {@link TcpClient} passed in, the escape hatch.
 *
 * <p><b>Wire format.</b> Frames of a 4-byte big-endian payload length followed by the payload, the format of the
 * core's {@link FrameDecoder#lengthPrefixed} / {@link FrameEncoder#lengthPrefixed}, so a TCP session interoperates
 * with any peer that frames the same way. The stream is framed once per direction: inbound, a decoder in the Netty
 * pipeline splits it into whole frames and enforces {@link TcpSessionOptions#maxFrameLength()} as soon as a length
 * field arrives; the session's {@code FrameDecoder.lengthPrefixed} then sees only whole frames, as many per read as
 * a socket read completed (it re-reads the length fields, but never buffers a partial frame). Outbound, the
 * session's encoder writes the length field and the payload straight into the channel's buffer when it knows the
 * frame's length in advance, or into one buffer of its own that is copied there (no Netty length prepender, which
 * would frame twice); frames that arrive together share a buffer.
 *
 * <p><b>Backpressure.</b> End to end: a session whose consumers have no demand takes no read, Reactor Netty turns
 * the channel's {@code autoRead} off, the socket is no longer read, TCP's window closes, the peer's channel becomes
 * unwritable and its sends stop taking messages from their sources. Memory stays bounded on both sides: about 33
 * socket reads (each at most 64 KiB, or one longer frame) on the reader; the socket buffers in the kernels; and on
 * the writer, per send, 32 queued messages, the channel's high-water mark and one batch of frames (at most 16 KiB,
 * or one longer frame).
 *
 * <p><b>Closing.</b> A session closes, and its {@code onClose()} signals the reason, when either peer closes it, the
 * peer announces a frame over the maximum ({@link io.github.reactivepubsub.ProtocolException} "frame length
 * 70000 exceeds maxFrameLength 65535 (session 127.0.0.1:51234)"), the codec rejects a frame (its
 * {@code ProtocolException}, e.g. an unknown message type), the peer stays silent past
 * {@link TcpSessionOptions#idleTimeout()} ({@link IdleTimeoutException}), or the transport fails. A close without
 * an error is graceful: what was sent is written, then FIN, and the socket closes once the peer closed too (at most
 * {@link TcpSessionOptions#closeTimeout()}), so no reset makes the peer drop the last frames. Each error close
 * is logged at WARN with the session's name and the reason (a connection reset by the peer only at DEBUG); one
 * session's close never affects another.
 *
 * <p><b>Threading.</b> Every method is non-blocking. The server's handler runs on the accepted channel's event loop
 * and must not block; session signals run on the event loop of the channel that supplied the data or on the thread
 * that supplied the demand.
 *
 * <pre>{@code
 * TcpSessionServer server = TcpSessions.bind(TcpServer.create().host("127.0.0.1").port(7000),
 *         utf8, utf8, TcpSessionOptions.defaults(),
 *         session -> session.sendAll(session.inbound().map(text -> "echo:" + text))).block();
 * Session<String, String> client = TcpSessions.connect("127.0.0.1", server.port(), utf8, utf8,
 *         TcpSessionOptions.defaults()).block();
 * client.send("hello").then(client.receive()).subscribe(System.out::println); // echo:hello
 * }</pre>
 */
public final class TcpSessions {

    private static final Logger LOG = Loggers.getLogger(TcpSessions.class);
    private static final String DEFAULT_NAME = SessionOptions.defaults().name();

    private TcpSessions() {
    }

    /**
     * Binds a server on {@code host:port} with Reactor Netty's defaults ({@code TcpServer.create()}).
     *
     * @param host the address to listen on ({@code "127.0.0.1"} for loopback only, {@code "0.0.0.0"} for all)
     * @param port the port; 0 picks a free one ({@link TcpSessionServer#port()} tells which)
     * @param inboundCodec decodes the payload of each received frame
     * @param outboundCodec encodes the payload of each sent message
     * @param options frame limit, idle timeout, session options
     * @param handler called once per accepted session, see
     *     {@link #bind(TcpServer, Codec, Codec, TcpSessionOptions, Function)}
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return a lazy Mono binding on subscription, emitting the bound server
     */
    public static <I, O> Mono<TcpSessionServer> bind(String host, int port, Codec<I> inboundCodec,
            Codec<O> outboundCodec, TcpSessionOptions options,
            Function<? super Session<I, O>, ? extends Publisher<Void>> handler) {
        return bind(TcpServer.create().host(host).port(port), inboundCodec, outboundCodec, options, handler);
    }

    /**
     * Binds a pre-configured server (TLS, event loops, socket options, metrics, wiretap) that runs {@code handler}
     * for every accepted session. The server's own {@code handle} function, if any, is replaced; its
     * {@code doOnConnection} callbacks still run, before this module's pipeline handlers are added.
     *
     * <p>The handler is called on the connection's event loop, once the session exists, and must not block. The
     * session closes when the Publisher it returns terminates (gracefully when it completes; when it errors, after
     * logging the error at WARN), or earlier for any reason a session closes (see the class documentation). To keep
     * a session open until the peer leaves, return {@link Session#onClose()} or a pipeline that ends with the
     * session's {@code inbound()}.
     *
     * @param server the pre-configured server; host and port included
     * @param inboundCodec decodes the payload of each received frame; its {@code ProtocolException} closes the
     *     session with that reason
     * @param outboundCodec encodes the payload of each sent message
     * @param options frame limit, idle timeout, session options
     * @param handler called once per accepted session
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return a lazy Mono binding on subscription, emitting the bound server; errors with Reactor Netty's bind
     *     error (e.g. the port is in use)
     */
    public static <I, O> Mono<TcpSessionServer> bind(TcpServer server, Codec<I> inboundCodec, Codec<O> outboundCodec,
            TcpSessionOptions options, Function<? super Session<I, O>, ? extends Publisher<Void>> handler) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(inboundCodec, "inboundCodec");
        Objects.requireNonNull(outboundCodec, "outboundCodec");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        return Mono.defer(() -> {
            DefaultTcpSessionServer.Registry registry = new DefaultTcpSessionServer.Registry();
            return server.doOnConnection(connection -> TcpPipeline.install(connection, options))
                    .handle((in, out) -> serve(in, inboundCodec, outboundCodec, options, handler, registry))
                    .bind()
                    .map(bound -> new DefaultTcpSessionServer(bound, registry));
        });
    }

    /**
     * Connects a session to {@code host:port} with a new, unpooled connection ({@code TcpClient.newConnection()}).
     *
     * @param host the server's host
     * @param port the server's port
     * @param inboundCodec decodes the payload of each received frame
     * @param outboundCodec encodes the payload of each sent message
     * @param options frame limit, idle timeout, session options
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return a lazy Mono connecting on subscription, emitting the active session; errors with Reactor Netty's
     *     connect error
     */
    public static <I, O> Mono<Session<I, O>> connect(String host, int port, Codec<I> inboundCodec,
            Codec<O> outboundCodec, TcpSessionOptions options) {
        return connect(TcpClient.newConnection().host(host).port(port), inboundCodec, outboundCodec, options);
    }

    /**
     * Connects a session with a pre-configured client (remote address, TLS, event loops, socket options, metrics).
     * The client's {@code doOnConnected} callbacks still run, before this module's pipeline handlers are added. The
     * caller owns the session: {@link Session#close()} closes the connection.
     *
     * @param client the pre-configured client; its remote address included
     * @param inboundCodec decodes the payload of each received frame; its {@code ProtocolException} closes the
     *     session with that reason
     * @param outboundCodec encodes the payload of each sent message
     * @param options frame limit, idle timeout, session options
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return a lazy Mono connecting on subscription, emitting the active session; errors with Reactor Netty's
     *     connect error
     */
    public static <I, O> Mono<Session<I, O>> connect(TcpClient client, Codec<I> inboundCodec, Codec<O> outboundCodec,
            TcpSessionOptions options) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(inboundCodec, "inboundCodec");
        Objects.requireNonNull(outboundCodec, "outboundCodec");
        Objects.requireNonNull(options, "options");
        return client.doOnConnected(connection -> TcpPipeline.install(connection, options))
                .connect()
                .map(connection -> newSession(connection, inboundCodec, outboundCodec, options));
    }

    private static <I, O> Publisher<Void> serve(NettyInbound in, Codec<I> inboundCodec, Codec<O> outboundCodec,
            TcpSessionOptions options, Function<? super Session<I, O>, ? extends Publisher<Void>> handler,
            DefaultTcpSessionServer.Registry registry) {
        Connection[] connection = new Connection[1];
        in.withConnection(c -> connection[0] = c);
        Session<I, O> session = newSession(connection[0], inboundCodec, outboundCodec, options);
        registry.add(session);
        Publisher<Void> work;
        try {
            work = Objects.requireNonNull(handler.apply(session), "the session handler returned null");
        } catch (Throwable error) {
            Exceptions.throwIfJvmFatal(error);
            work = Mono.error(error);
        }
        // The connection stays open until the session closed; Reactor Netty cancels this if the channel closes first.
        return Flux.from(work).then()
                .onErrorResume(error -> {
                    if (session.isClosed()) { // failed because the session closed, whose reason is logged
                        LOG.debug("handler of closed session " + session.name() + " ended with " + error);
                    } else {
                        LOG.warn("handler of session " + session.name() + " failed; closing the session", error);
                    }
                    return Mono.empty();
                })
                .then(Mono.defer(session::close));
    }

    private static void logClose(String name, Throwable reason) {
        if (AbortedException.isConnectionReset(reason)) {
            LOG.debug("session {} closed: the peer reset the connection ({})", name, reason.toString());
        } else {
            LOG.warn("session {} closed: {}", name, reason.toString());
        }
    }

    /** Length-prefixed frames whose payload must not exceed {@code maxFrameLength} (what the peer accepts). */
    private record LimitedEncoder<O>(FrameEncoder<O> framed, int max, String name) implements FrameEncoder<O> {

        @Override
        public ByteBuffer encode(O message) {
            ByteBuffer frame = framed.encode(message);
            check(frame.remaining());
            return frame;
        }

        @Override
        public int frameLength(O message) {
            int length = framed.frameLength(message);
            if (length >= 0) {
                check(length);
            }
            return length;
        }

        @Override
        public void encode(O message, ByteBuffer out) {
            framed.encode(message, out);
        }

        private void check(int frameLength) {
            int length = frameLength - LengthFieldFrameDecoder.LENGTH_FIELD;
            if (length > max) {
                throw new IllegalArgumentException("frame length " + length + " exceeds maxFrameLength " + max
                        + " (session " + name + "); expected payloads of at most " + max + " bytes");
            }
        }
    }

    private static <I, O> Session<I, O> newSession(Connection connection, Codec<I> inboundCodec,
            Codec<O> outboundCodec, TcpSessionOptions options) {
        String peer = TcpPipeline.peer(connection.channel());
        SessionOptions sessionOptions = options.sessionOptions();
        String name = DEFAULT_NAME.equals(sessionOptions.name()) ? peer : sessionOptions.name() + " " + peer;
        int max = options.maxFrameLength();
        FrameEncoder<O> encoder = new LimitedEncoder<>(FrameEncoder.lengthPrefixed(outboundCodec), max, name);
        Session<I, O> session = Session.create(new TcpDuplexConnection(connection, peer, options.closeTimeout()),
                FrameDecoder.lengthPrefixed(inboundCodec, max), encoder, sessionOptions.name(name));
        session.onClose().subscribe(v -> { }, reason -> logClose(name, reason),
                () -> LOG.debug("session {} closed", name));
        return session;
    }
}
