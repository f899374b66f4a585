package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * Jazzer: the SoupBinTCP packet decoder over any bytes. Every input decodes into whole packets, stops at an
 * incomplete one, or fails with the documented {@link ProtocolException}; nothing else is thrown, nothing hangs,
 * every packet consumes exactly its {@code 2 + N} bytes, no data packet leaks its buffer, and the decoding allocates
 * in proportion to the input ({@code Allocation.checkBounded}), never to a length the input claims. Every build replays
 * the committed corpus ({@code src/test/resources/.../SoupCodecFuzzTestInputs}); {@code JAZZER_FUZZ=1} fuzzes
 * (docs/reliability.md).
 */
class SoupCodecFuzzTest {

    @FuzzTest(maxExecutions = 200_000)
    void decodesOrRejectsAnyBytes(byte[] data) {
        loadClassesFor(data);
        ByteBuf in = Unpooled.wrappedBuffer(data);
        long decoding = 0;
        try {
            long offset = 0;
            for (;;) {
                int before = in.readerIndex();
                SoupPacket packet;
                long start = Allocation.allocated();
                try {
                    packet = SoupCodec.decode(in, offset, 65_535);
                } catch (ProtocolException e) {
                    decoding += Allocation.allocated() - start;
                    assertThat(in.readerIndex()).as("nothing consumed by a rejected packet").isEqualTo(before);
                    assertThat(e.getMessage()).isNotBlank();
                    return;
                }
                decoding += Allocation.allocated() - start;
                if (packet == null) {
                    assertThat(in.readerIndex()).isEqualTo(before);
                    return;
                }
                int consumed = in.readerIndex() - before;
                assertThat(consumed).isEqualTo(2 + in.getUnsignedShort(before));
                assertThat(packet.toString()).doesNotContain("\r", "\n");
                if (packet instanceof ReferenceCounted counted) {
                    counted.release();
                }
                offset += consumed;
            }
        } finally {
            Allocation.checkBounded("SoupCodec.decode", decoding, data.length);
            in.release();
        }
    }

    /** Decodes once unchecked, so that loading the classes this input needs does not count as its allocation. */
    private static void loadClassesFor(byte[] data) {
        ByteBuf in = Unpooled.wrappedBuffer(data);
        try {
            SoupPacket packet;
            while ((packet = SoupCodec.decode(in, 0, 65_535)) != null) {
                if (packet instanceof ReferenceCounted counted) {
                    counted.release();
                }
            }
        } catch (ProtocolException e) {
            // checked by the measured pass
        } finally {
            in.release();
        }
    }
}
