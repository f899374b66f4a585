package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@link LengthFieldFrameDecoder} cuts a stream: whole frames only, as many per buffer as a read completed. */
class LengthFieldFrameDecoderTest {

    private static final int MAX = 100_000;

    private EmbeddedChannel channel = new EmbeddedChannel(new LengthFieldFrameDecoder(MAX, "127.0.0.1:4000"));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void passesEveryWholeFrameOfAReadInOneBufferAndKeepsTheIncompleteOne() {
        ByteBuf read = Unpooled.buffer().writeBytes(frame("a")).writeBytes(frame("bb")).writeBytes(frame("ccc"));
        byte[] fourth = frame("dddd");
        read.writeBytes(fourth, 0, 6); // the length field and 2 of its 4 bytes

        channel.writeInbound(read);

        assertThat(readAll()).containsExactly(hex(frame("a"), frame("bb"), frame("ccc")));
        channel.writeInbound(Unpooled.wrappedBuffer(fourth, 6, fourth.length - 6));
        assertThat(readAll()).containsExactly(hex(fourth));
    }

    @Test
    void aFrameCutAnywhereIsPassedOnceWholeOnly() {
        byte[] frame = frame("0123456789");
        for (byte b : frame) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(readAll()).containsExactly(hex(frame));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0})); // an empty frame is a frame
        assertThat(readAll()).containsExactly("00000000");
    }

    @Test
    void aBufferGrowsPastTheBatchSizeOnlyByItsFirstFrame() {
        byte[] small = frame("x".repeat(1_000));
        byte[] large = frame("y".repeat(LengthFieldFrameDecoder.BATCH_BYTES + 10));
        ByteBuf read = Unpooled.buffer();
        for (int i = 0; i < 70; i++) {
            read.writeBytes(small);
        }
        read.writeBytes(large).writeBytes(small);

        channel.writeInbound(read);

        List<Integer> sizes = new ArrayList<>();
        for (ByteBuf b; (b = channel.readInbound()) != null; b.release()) {
            sizes.add(b.readableBytes());
        }
        int perBatch = LengthFieldFrameDecoder.BATCH_BYTES / small.length;
        assertThat(sizes).containsExactly(perBatch * small.length, (70 - perBatch) * small.length, large.length,
                small.length);
    }

    @Test
    void anOversizedLengthClosesWithItsErrorAfterTheWholeFramesBeforeIt() {
        channel = new EmbeddedChannel(new LengthFieldFrameDecoder(MAX, "127.0.0.1:4000",
                error -> error.getMessage().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)));
        ByteBuf read = Unpooled.buffer().writeBytes(frame("ok")).writeInt(MAX + 1).writeBytes(new byte[32])
                .writeBytes(frame("after"));

        channel.writeInbound(read);

        assertThat(readAll()).containsExactly(hex(frame("ok")));
        assertThat(TcpPipeline.failure(channel)).isInstanceOf(ProtocolException.class)
                .hasMessage("frame length 100001 exceeds maxFrameLength 100000 (session 127.0.0.1:4000)");
        ByteBuf reply = channel.readOutbound();
        try {
            assertThat(reply.readInt()).isEqualTo(reply.readableBytes());
            assertThat(reply.toString(StandardCharsets.UTF_8)).contains("exceeds maxFrameLength 100000");
        } finally {
            reply.release();
        }
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aLengthAboveTwoGigabytesIsRejectedNotWrapped() {
        channel.writeInbound(Unpooled.buffer().writeInt(0xFFFF_FFF0));

        assertThat(readAll()).isEmpty();
        assertThat(TcpPipeline.failure(channel)).hasMessageContaining("frame length 4294967280 exceeds");
        assertThat(channel.isOpen()).isFalse();
    }

    private List<String> readAll() {
        List<String> buffers = new ArrayList<>();
        for (ByteBuf b; (b = channel.readInbound()) != null; b.release()) {
            buffers.add(ByteBufUtil.hexDump(b));
        }
        return buffers;
    }

    private static byte[] frame(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    private static String hex(byte[]... frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] f : frames) {
            text.append(ByteBufUtil.hexDump(f));
        }
        return text.toString();
    }
}
