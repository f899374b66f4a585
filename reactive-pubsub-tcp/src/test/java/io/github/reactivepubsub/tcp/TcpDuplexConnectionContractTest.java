package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.DuplexConnectionContract;
import io.github.reactivepubsub.session.FrameEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/** The transport contract against {@link TcpDuplexConnection}: real sockets on loopback, this module's pipeline. */
class TcpDuplexConnectionContractTest implements DuplexConnectionContract {

    private static final TcpSessionOptions OPTIONS = TcpSessionOptions.defaults();

    private final List<DisposableServer> servers = new ArrayList<>();
    private final List<Connection> clients = new ArrayList<>();

    @Override
    public Ends connect() {
        Sinks.One<TcpDuplexConnection> accepted = Sinks.one();
        DisposableServer server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> TcpPipeline.install(connection, OPTIONS))
                .handle((in, out) -> {
                    in.withConnection(connection -> accepted.tryEmitValue(
                            new TcpDuplexConnection(connection, TcpPipeline.peer(connection.channel()),
                                    OPTIONS.closeTimeout())));
                    return Mono.never(); // open until one end closes it
                })
                .bindNow(WAIT);
        servers.add(server);
        Connection client = TcpClient.newConnection().host("127.0.0.1").port(server.port())
                .doOnConnected(connection -> TcpPipeline.install(connection, OPTIONS))
                .connectNow(WAIT);
        clients.add(client);
        TcpDuplexConnection serverEnd = accepted.asMono().block(WAIT);
        return new Ends(new TcpDuplexConnection(client, TcpPipeline.peer(client.channel()), OPTIONS.closeTimeout()), serverEnd);
    }

    /**
     * Reactor Netty completes a send normally when the channel closes under it; the transport reports it as the
     * failure it is, so that "the send completed" always means "everything was written".
     */
    @Test
    void aSendStillUnderWayWhenTheChannelClosesErrorsInsteadOfCompleting() {
        Ends ends = connect();
        Sinks.Many<ByteBuffer> frames = Sinks.many().unicast().onBackpressureBuffer();
        frames.tryEmitNext(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 42}));
        StepVerifier.create(ends.client().send(frames.asFlux()))
                .then(() -> ends.client().dispose())
                .expectErrorSatisfies(error -> org.assertj.core.api.Assertions.assertThat(error)
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a send was under way"))
                .verify(WAIT);
    }

    /**
     * A graceful close of an end that never read what its peer sent (a plain close would be a reset): what it sent
     * before still reaches the peer, then both ends close, each {@code onClose()} once.
     */
    @Test
    void aGracefulCloseWithUnreadInputDeliversWhatWasSentAndClosesBothEnds() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().subscribe(reads);
        ends.server().send(Flux.range(0, 100).map(TcpDuplexConnectionContractTest::oneByteFrame))
                .block(WAIT); // never read by the client
        ends.client().send(Flux.range(0, 100).map(TcpDuplexConnectionContractTest::oneByteFrame))
                .block(WAIT);

        ends.client().disposeGracefully();
        ends.client().disposeGracefully();

        StepVerifier.create(ends.server().onClose()).expectComplete().verify(WAIT);
        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);
        reads.block(WAIT);
        org.assertj.core.api.Assertions.assertThat(reads.getReceivedOnNext().stream().mapToInt(ByteBuffer::remaining)
                .sum()).as("bytes the server received").isEqualTo(500);
    }

    /**
     * An encoder that writes another length than it announced fails the send with an error naming both lengths; its
     * buffer is released (the leak detector of this module's tests would report it) and nothing of it is written.
     */
    @Test
    void anEncoderThatWritesAnotherLengthThanItAnnouncedFailsTheSend() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().subscribe(reads);
        FrameEncoder<String> lying = new FrameEncoder<>() {
            @Override
            public ByteBuffer encode(String text) {
                throw new AssertionError("the transport encodes frames of a known length into its own buffers");
            }

            @Override
            public int frameLength(String text) {
                return 4 + text.length();
            }

            @Override
            public void encode(String text, ByteBuffer out) {
                out.putInt(text.length()).put(text.getBytes(StandardCharsets.US_ASCII), 0, text.length() - 1);
            }

            @Override
            public String toString() {
                return "lying";
            }
        };

        StepVerifier.create(ends.client().send(Flux.just("abcd"), lying))
                .expectErrorSatisfies(error -> org.assertj.core.api.Assertions.assertThat(error)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("encoder lying wrote 7 bytes of a frame it announced as 8 bytes; expected exactly 8"))
                .verify(WAIT);
        Await.watch(QUIET);
        org.assertj.core.api.Assertions.assertThat(reads.getReceivedOnNext()).as("bytes written").isEmpty();
    }

    private static ByteBuffer oneByteFrame(int value) {
        return ByteBuffer.wrap(new byte[] {0, 0, 0, 1, (byte) value});
    }

    @AfterEach
    void closeSockets() {
        clients.forEach(Connection::dispose);
        servers.forEach(server -> server.disposeNow(WAIT));
    }
}
