package io.github.reactivepubsub.tcp;

import static io.github.reactivepubsub.tcp.TestCodecs.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.test.subscriber.TestSubscriber;

/**
 * Backpressure end to end over a real socket: a reader whose {@code inbound()} subscriber stops requesting stops
 * reading from the socket, the writer's channel becomes unwritable, its send stops taking messages from its source,
 * and memory stays bounded on both sides; once the reader resumes, every message arrives, in order.
 */
class TcpBackpressureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PAYLOAD = 8 * 1024;
    private static final int FRAME = 4 + 1 + PAYLOAD; // length field, packet type, text
    /** What the writer offers: 4096 frames of 8 KiB, 32 MiB in all. */
    private static final int OFFERED = 4096;
    private static final int SOCKET_BUFFER = 64 * 1024;
    private static final String PADDING = "x".repeat(PAYLOAD - 8);

    @RegisterExtension
    final Closer closer = new Closer();

    private TcpSessionServer server;
    private Session<String, String> reader;

    private static String message(int i) {
        return String.format("%08d", i) + PADDING;
    }

    @Test
    void aStalledReaderStopsTheWriterAndBoundsMemoryThenEverythingArrivesInOrder() {
        AtomicInteger generated = new AtomicInteger();
        AtomicBoolean sendCompleted = new AtomicBoolean();
        AtomicReference<Channel> writerChannel = new AtomicReference<>();
        AtomicReference<Channel> readerChannel = new AtomicReference<>();
        AtomicLong bytesReadByReader = new AtomicLong();

        server = TcpSessions.bind(TcpServer.create().host("127.0.0.1").port(0)
                        .childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                        .doOnConnection(connection -> writerChannel.set(connection.channel())),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults().maxFrameLength(1 + PAYLOAD),
                session -> session.sendAll(Flux.range(0, OFFERED)
                                .doOnNext(i -> generated.incrementAndGet())
                                .map(TcpBackpressureTest::message))
                        .doOnSuccess(v -> sendCompleted.set(true)))
                .block(WAIT);
        closer.add(server, s -> s.disposeNow(WAIT));
        reader = TcpSessions.connect(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                        .doOnConnected(connection -> {
                            readerChannel.set(connection.channel());
                            connection.addHandlerFirst("test.bytesRead", new ByteCounter(bytesReadByReader));
                        }),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults().maxFrameLength(1 + PAYLOAD))
                .block(WAIT);
        closer.add(reader, r -> r.close().block(WAIT));

        TestSubscriber<String> consumer = TestSubscriber.builder().initialRequest(10).build();
        reader.inbound().subscribe(consumer);

        // The writer runs into the stalled reader: its channel becomes unwritable.
        Await.until(WAIT, () -> writerChannel.get() != null && !writerChannel.get().isWritable(),
                () -> "the writer's channel to become unwritable; generated " + generated.get());
        Await.watch(Duration.ofMillis(300)); // lets Reactor Netty's prefetch of the source settle
        int generatedWhenStuck = generated.get();
        long readWhenStuck = bytesReadByReader.get();
        Await.watch(Duration.ofMillis(300));

        assertThat(consumer.getReceivedOnNext()).as("delivered while stalled").hasSize(10);
        assertThat(readerChannel.get().config().isAutoRead()).as("the reader's autoRead while stalled").isFalse();
        assertThat(writerChannel.get().isWritable()).as("the writer's channel while stalled").isFalse();
        assertThat(sendCompleted).as("the writer's send completed").isFalse();
        // Writer: the send's prefetch (128 messages) plus what fits in the two socket buffers, far below the offer.
        assertThat(generated.get()).as("messages the writer took from its source, no progress while stalled")
                .isEqualTo(generatedWhenStuck)
                .isLessThan(OFFERED / 16);
        // Reader: the delivered 10, Reactor Netty's queue of up to 32 reads (of whole frames), and one socket read.
        assertThat(bytesReadByReader.get()).as("bytes the stalled reader took from its socket, none while stalled")
                .isEqualTo(readWhenStuck)
                .isLessThan(64L * FRAME);
        System.out.printf("stalled: writer took %d of %d messages, reader read %d bytes (%d frames)%n",
                generated.get(), OFFERED, bytesReadByReader.get(), bytesReadByReader.get() / FRAME);

        consumer.request(Long.MAX_VALUE);

        consumer.block(WAIT); // the server closes after its send: the inbound completes after the last message
        assertThat(consumer.isTerminatedComplete()).isTrue();
        List<String> received = consumer.getReceivedOnNext();
        assertThat(received).hasSize(OFFERED);
        assertThat(received.stream().map(m -> m.substring(0, 8)).collect(Collectors.toList()))
                .as("order").containsExactlyElementsOf(IntStream.range(0, OFFERED)
                        .mapToObj(i -> String.format("%08d", i)).collect(Collectors.toList()));
        assertThat(sendCompleted).isTrue();
        assertThat(bytesReadByReader.get()).isEqualTo((long) OFFERED * FRAME);
    }

    /** Counts the raw bytes the channel reads from its socket (first handler after TLS, before any framing). */
    private static final class ByteCounter extends ChannelInboundHandlerAdapter {

        private final AtomicLong count;

        ByteCounter(AtomicLong count) {
            this.count = count;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                count.addAndGet(bytes.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
