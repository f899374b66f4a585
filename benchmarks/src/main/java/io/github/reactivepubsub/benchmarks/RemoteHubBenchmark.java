package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publish → broker → remote subscriber over loopback, 64-byte payloads, one operation = one message delivered:
 * {@link #remoteHub} (a {@link RemoteHub} publisher, a {@link PubSubServer} over an in-process hub, a {@link RemoteHub}
 * subscriber) beside {@link #rawForwarder} (a Reactor Netty client writing the same PUBLISH frames, a server
 * forwarding the bytes unchanged to a subscriber connection, which counts them).
 *
 * <p>The hub publisher keeps at most {@value #WINDOW} messages in flight (sent minus received) so that the
 * subscription's buffer at the broker (65,536) never overflows; the raw path relies on TCP backpressure alone.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RemoteHubBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
public class RemoteHubBenchmark extends TransportBenchmark {

    static final int MESSAGES = 200_000;
    static final int WINDOW = 32_768;
    static final Key KEY = Key.parse("bench.k");
    static final byte[] PAYLOAD = new byte[64];
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Payloads as they are: the broker forwards bytes. */
    static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    };

    private LoopbackPair pair;
    private int frameLength;

    @Setup(Level.Trial)
    public void setUp() {
        pair = new LoopbackPair(SubscribeOptions.defaults().bufferSize(65_536), (from, to) -> from.inbound().receive()
                .retain().concatMap(b -> to.outbound().send(Mono.just(b)).then(), 32).subscribe());
        frameLength = publishFrame().readableBytes();
    }

    /** The bytes of one PUBLISH frame of the hub's protocol (length, type, key, payload). */
    static ByteBuf publishFrame() {
        byte[] key = KEY.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf frame = Unpooled.buffer(4 + 1 + 2 + key.length + PAYLOAD.length);
        frame.writeInt(1 + 2 + key.length + PAYLOAD.length).writeByte(0x06).writeShort(key.length).writeBytes(key)
                .writeBytes(PAYLOAD);
        return frame;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long remoteHub() {
        return PublishLoop.publish(pair.publisher, KEY, PAYLOAD, MESSAGES, WINDOW, pair.received::get, WAIT);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long rawForwarder() {
        long target = pair.rawBytes.get() + (long) MESSAGES * frameLength;
        ByteBuf template = publishFrame();
        pair.rawPublisher.outbound().send(Flux.range(0, MESSAGES).map(i -> template.retainedDuplicate()))
                .then().block(WAIT);
        template.release();
        return PublishLoop.awaitReceived(pair.rawBytes::get, target, WAIT);
    }
}
