package io.github.reactivepubsub.tcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data path's frames announce their framed length and write themselves into a transport's buffer (direct or
 * heap, at any position) with exactly the bytes of {@link Frame#encodeFramed()}, leaving their payload unread.
 */
class FramedEncodingTest {

    private static final byte[] PAYLOAD = "päyload".getBytes(StandardCharsets.UTF_8);

    @Test
    void dataFramesWriteTheirFramedBytesIntoAnyBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put(new byte[] {1, 2, 3}).flip(); // a payload that is not array-backed, not at position 0
        direct.position(1);
        List<Frame> frames = List.of(new PublishFrame(Key.parse("a.b"), PAYLOAD),
                new MessageFrame(7, Key.parse("ä.b"), PAYLOAD), new PublishFrame(Key.parse("x"), direct));

        for (Frame frame : frames) {
            ByteBuffer expected = frame.encodeFramed();
            assertThat(frame.framedLength()).as("%s", frame).isEqualTo(expected.remaining());
            for (ByteBuffer out : List.of(ByteBuffer.allocate(100), ByteBuffer.allocateDirect(100))) {
                out.position(5);
                frame.encodeFramed(out);
                assertThat(out.position()).as("%s", frame).isEqualTo(5 + expected.remaining());
                assertThat(out.flip().position(5)).as("%s into %s", frame, out).isEqualTo(expected);
            }
        }
        assertThat(direct.position()).as("the payload's position").isEqualTo(1);
        assertThat(new PublishFrame(Key.parse("a.b"), PAYLOAD).framedLength())
                .isEqualTo(4 + 1 + 2 + 3 + PAYLOAD.length);
    }

    @Test
    void controlFramesLeaveTheirLengthUnknownAndCopy() {
        Frame credit = new CreditFrame(3, 10);
        ByteBuffer out = ByteBuffer.allocate(64);

        credit.encodeFramed(out);

        assertThat(credit.framedLength()).isEqualTo(-1);
        assertThat(out.flip()).isEqualTo(credit.encodeFramed());
    }
}
