package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.tcp.soup.Authenticator;
import io.github.reactivepubsub.tcp.soup.MessageStore;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpClient;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupClientOptions;
import io.github.reactivepubsub.tcp.soup.SoupLogin;
import io.github.reactivepubsub.tcp.soup.SoupServerOptions;
import io.github.reactivepubsub.tcp.soup.SoupSession;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * Server → client stream of 64-byte messages over loopback; one operation = one message, so the score is
 * messages per second (with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per message, both
 * sides together since they share the JVM).
 *
 * <ul>
 *   <li>{@link #soupBinTcp}: a {@link SoupBinTcpClient} logs in at sequence 1 to a session whose in-memory store
 *       holds {@link #MESSAGES} messages (filled once per trial), so the server streams them all from the store as
 *       {@code S} packets at the pace the socket takes them; the client takes {@link #MESSAGES}
 *       {@code SequencedMessage}s (each payload copied out of the socket buffer), checks the count of payload bytes
 *       (summed in a plain {@code long}, so the harness allocates nothing per message) and the next expected sequence
 *       number, then cancels (closing the connection).</li>
 *   <li>{@link #rawReactorNetty}: the same bytes ({@code 00 41 'S'} + 64 payload bytes per message) written by a
 *       Reactor Netty {@code TcpServer} as one {@code ByteBuf} per message, read by a {@code TcpClient} through a
 *       {@link LengthFieldBasedFrameDecoder}, each frame's length read and the frame released.</li>
 * </ul>
 * Each invocation opens a new connection (included in the time, amortised over {@link #MESSAGES} messages).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SoupBinTcpBenchmark -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
public class SoupBinTcpBenchmark extends TransportBenchmark {

    static final int MESSAGES = 200_000;
    static final int PAYLOAD = 64;
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final byte[] payload = new byte[PAYLOAD];

    private SoupBinTcpServer soupServer;
    private SoupSession session;
    private DisposableServer rawServer;

    @Setup(Level.Trial)
    public void startServers() {
        for (int i = 0; i < PAYLOAD; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        soupServer = SoupBinTcpServer.bindNow("127.0.0.1", 0, SoupServerOptions.defaults()
                .authenticator(Authenticator.acceptAll())
                .storeFactory(name -> MessageStore.inMemory(MESSAGES)));
        session = soupServer.createSession("BENCH");
        for (int i = 0; i < MESSAGES; i++) {
            session.publish(payload);
        }
        rawServer = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> out.send(Flux.range(0, MESSAGES).map(i -> {
                    ByteBuf frame = out.alloc().buffer(3 + PAYLOAD);
                    return frame.writeShort(1 + PAYLOAD).writeByte('S').writeBytes(payload);
                })).then())
                .bindNow();
    }

    @TearDown(Level.Trial)
    public void stopServers() {
        soupServer.disposeNow();
        rawServer.disposeNow();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long soupBinTcp() {
        SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", soupServer.port(),
                new SoupLogin("BENCH", "pw", session.name(), 1), SoupClientOptions.defaults());
        long[] count = new long[1]; // counted without boxing: the harness allocates nothing per message
        client.messages().take(MESSAGES).doOnNext(m -> count[0] += m.payloadLength()).then().block(TIMEOUT);
        long bytes = count[0];
        if (client.nextExpectedSequence() != MESSAGES + 1) {
            throw new IllegalStateException("next expected " + client.nextExpectedSequence() + ", expected "
                    + (MESSAGES + 1));
        }
        if (bytes != (long) MESSAGES * PAYLOAD) {
            throw new IllegalStateException("received " + bytes + " payload bytes, expected " + MESSAGES * PAYLOAD);
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawReactorNetty() {
        long[] count = new long[1]; // counted without boxing, as for soupBinTcp
        TcpClient.newConnection().host("127.0.0.1").port(rawServer.port())
                .doOnConnected(c -> c.addHandlerLast(new LengthFieldBasedFrameDecoder(65_535, 0, 2, 0, 2)))
                .connect()
                .flatMap(c -> c.inbound().receive().doOnNext(frame -> count[0] += frame.readableBytes() - 1).then()
                        .doFinally(s -> c.dispose()))
                .block(TIMEOUT);
        long bytes = count[0];
        if (bytes != (long) MESSAGES * PAYLOAD) {
            throw new IllegalStateException("received " + bytes + " payload bytes, expected " + MESSAGES * PAYLOAD);
        }
        return bytes;
    }
}
