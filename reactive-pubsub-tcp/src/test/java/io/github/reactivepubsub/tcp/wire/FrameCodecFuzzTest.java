package io.github.reactivepubsub.tcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Jazzer: the remote hub's frame body decoder ({@link FrameCodec}) over any bytes. The strict codec decodes a
 * frame or throws the documented {@link ProtocolException}, nothing else; the lenient one (the broker's) never
 * throws; a decoded frame encodes back to the same bytes; a decoded frame allocates no more than its body holds.
 * Every build replays the committed corpus; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class FrameCodecFuzzTest {

    @FuzzTest(maxExecutions = 200_000)
    void decodesOrRejectsAnyBody(byte[] body) {
        try {
            FrameCodec.STRICT.decode(ByteBuffer.wrap(body)); // loads the classes this input needs: not its allocation
        } catch (ProtocolException e) {
            // measured below
        }
        Frame strict;
        long before = Allocation.allocated();
        try {
            strict = FrameCodec.STRICT.decode(ByteBuffer.wrap(body));
        } catch (ProtocolException e) {
            Allocation.checkBounded("FrameCodec.decode", Allocation.allocated() - before, body.length);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\r", "\n");
            assertThat(FrameCodec.LENIENT.decode(ByteBuffer.wrap(body))).isInstanceOf(MalformedFrame.class);
            return;
        }
        Allocation.checkBounded("FrameCodec.decode", Allocation.allocated() - before, body.length);
        assertThat(FrameCodec.LENIENT.decode(ByteBuffer.wrap(body))).isEqualTo(strict);
        assertThat(strict.encode()).as("%s re-encoded", strict).isEqualTo(body);
    }
}
