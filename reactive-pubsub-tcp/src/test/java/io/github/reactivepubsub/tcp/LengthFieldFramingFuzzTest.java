package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Jazzer: the TCP length-field framing ({@link LengthFieldFrameDecoder}) over any byte stream cut into any reads.
 * Every frame passed on is whole ({@code 4 + length} bytes, length within the maximum); a length above the maximum
 * closes the channel with the documented {@link ProtocolException} and nothing after it is passed on; nothing else
 * is thrown and at most one incomplete frame stays buffered. Every build replays the committed corpus;
 * {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class LengthFieldFramingFuzzTest {

    private static final int MAX = 1_024;

    @FuzzTest(maxExecutions = 200_000)
    void framesOrRejectsAnyStream(FuzzedDataProvider data) {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthFieldFrameDecoder(MAX, "fuzz"));
        try {
            while (data.remainingBytes() > 0 && channel.isOpen()) {
                int read = data.consumeInt(1, 2 * MAX);
                channel.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(read)));
                ByteBuf frame;
                while ((frame = channel.readInbound()) != null) {
                    try {
                        long length = frame.getUnsignedInt(frame.readerIndex());
                        assertThat(length).isLessThanOrEqualTo(MAX);
                        assertThat(frame.readableBytes()).isEqualTo(4 + (int) length);
                    } finally {
                        frame.release();
                    }
                }
            }
            Throwable failure = TcpPipeline.failure(channel);
            if (failure != null) {
                assertThat(failure).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("exceeds maxFrameLength");
                assertThat(channel.isOpen()).isFalse();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
