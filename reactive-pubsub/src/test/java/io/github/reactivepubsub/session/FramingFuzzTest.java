package io.github.reactivepubsub.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codecs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the session's length-prefixed framing ({@link FrameDecoder#lengthPrefixed} read through a
 * {@link FrameReader}; Jazzer, see docs/reliability.md). The input chooses a maximum frame length, how the byte
 * stream is split into reads, and the stream. Properties: the only failure is a {@link ProtocolException}; the frames
 * (and the failure) do not depend on how the stream was split; the reader never keeps more than one incomplete
 * frame plus one read; and the whole decode allocates in proportion to the stream, not to the lengths it claims.
 *
 * <p>Every build replays the committed corpus in {@code FramingFuzzTestInputs/<method>/} (test resources).
 */
class FramingFuzzTest {

    /** The frames decoded before the stream ended or failed, and the failure if any. */
    private record Outcome(List<String> frames, String failure) {
    }

    @FuzzTest
    void lengthPrefixed(FuzzedDataProvider data) {
        int maxFrame = data.consumeInt(0, 4_096);
        int[] reads = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = data.consumeInt(1, 512);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        FrameDecoder<byte[]> decoder = FrameDecoder.lengthPrefixed(Codecs.bytes(), maxFrame);

        // warm-up: the first run of a path loads (and, while fuzzing, instruments) classes on this thread; the
        // measured second run costs only what decoding does
        decode(decoder, stream, new int[0], maxFrame);
        long before = Allocation.allocated();
        Outcome whole = decode(decoder, stream, new int[0], maxFrame);
        Allocation.checkBounded("length-prefixed framing", Allocation.allocated() - before, stream.length);
        Outcome split = decode(decoder, stream, reads, maxFrame);

        assertThat(split).as("frames and failure whatever the split into reads").isEqualTo(whole);
    }

    /** Feeds {@code stream} in reads of the given sizes (the rest in one read), as a session does. */
    private static Outcome decode(FrameDecoder<byte[]> decoder, byte[] stream, int[] reads, int maxFrame) {
        FrameReader<byte[]> reader = new FrameReader<>(decoder);
        List<String> frames = new ArrayList<>();
        int at = 0;
        int r = 0;
        try {
            while (at < stream.length) {
                int size = r < reads.length ? Math.min(reads[r++], stream.length - at) : stream.length - at;
                reader.feed(ByteBuffer.wrap(stream, at, size).slice(), frame -> frames.add(hex(frame)));
                at += size;
                assertThat(reader.pendingBytes()).as("bytes kept of an incomplete frame")
                        .isLessThanOrEqualTo(LengthPrefixedFraming.HEADER_LENGTH + maxFrame);
            }
        } catch (ProtocolException e) {
            return new Outcome(frames, e.getMessage());
        }
        return new Outcome(frames, null);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return s.toString();
    }
}
