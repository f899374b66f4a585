package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Jazzer: the TCP length-field framing ({@link LengthFieldFrameDecoder}) over any byte stream cut into any reads.
 * Every buffer passed on is a run of whole frames ({@code 4 + length} bytes each, length within the maximum), at most
 * {@code max(BATCH_BYTES, 4 + maximum)} bytes, and together they are the stream's bytes in order; a length above the
 * maximum closes the channel with the documented {@link ProtocolException} and nothing after it is passed on;
 * nothing else is thrown. Every build replays the committed corpus;
 * {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class LengthFieldFramingFuzzTest {

    private static final int MAX = 1_024;

    @FuzzTest(maxExecutions = 200_000)
    void framesOrRejectsAnyStream(FuzzedDataProvider data) {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthFieldFrameDecoder(MAX, "fuzz"));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            while (data.remainingBytes() > 0 && channel.isOpen()) {
                int read = data.consumeInt(1, 2 * MAX);
                byte[] bytes = data.consumeBytes(read);
                sent.write(bytes, 0, bytes.length);
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
                ByteBuf frames;
                while ((frames = channel.readInbound()) != null) {
                    try {
                        assertThat(frames.readableBytes()).isPositive()
                                .isLessThanOrEqualTo(Math.max(LengthFieldFrameDecoder.BATCH_BYTES, 4 + MAX));
                        for (int at = frames.readerIndex(); at < frames.writerIndex(); ) {
                            assertThat(frames.writerIndex() - at).isGreaterThanOrEqualTo(4);
                            long length = frames.getUnsignedInt(at);
                            assertThat(length).isLessThanOrEqualTo(MAX);
                            at += 4 + (int) length;
                            assertThat(at).isLessThanOrEqualTo(frames.writerIndex());
                        }
                        byte[] passed = new byte[frames.readableBytes()];
                        frames.getBytes(frames.readerIndex(), passed);
                        received.write(passed, 0, passed.length);
                    } finally {
                        frames.release();
                    }
                }
            }
            Throwable failure = TcpPipeline.failure(channel);
            if (failure != null) {
                assertThat(failure).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("exceeds maxFrameLength");
                assertThat(channel.isOpen()).isFalse();
            }
            byte[] in = sent.toByteArray();
            byte[] out = received.toByteArray();
            assertThat(out.length).isLessThanOrEqualTo(in.length);
            assertThat(Arrays.equals(in, 0, out.length, out, 0, out.length)).as("a prefix of the stream")
                    .isTrue();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
