package io.github.reactivepubsub.session;

import static io.github.reactivepubsub.session.TestFrames.DECODER;
import static io.github.reactivepubsub.session.TestFrames.MAX_FRAME;
import static io.github.reactivepubsub.session.TestFrames.frame;
import static io.github.reactivepubsub.session.TestFrames.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private final FrameReader<String> reader = new FrameReader<>(DECODER);
    private final List<String> out = new ArrayList<>();

    @Test
    void oneMessagePerRead() {
        reader.feed(frame("a"), out::add);
        reader.feed(frame("bc"), out::add);

        assertThat(out).containsExactly("a", "bc");
        assertThat(reader.pendingBytes()).isZero();
    }

    /**
     * A codec may keep a view of a payload: whatever the reads' split, no later read overwrites the bytes of a frame
     * already decoded (the buffer that gathered an incomplete frame is replaced once a frame came out of it).
     */
    @Test
    void viewsKeptByTheCodecStayIntactWhateverTheSplit() {
        Codec<ByteBuffer> views = new Codec<>() {
            @Override
            public byte[] encode(ByteBuffer value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ByteBuffer decode(ByteBuffer buffer) {
                ByteBuffer view = buffer.slice();
                buffer.position(buffer.limit());
                return view;
            }
        };
        FrameReader<ByteBuffer> viewing = new FrameReader<>(FrameDecoder.lengthPrefixed(views, MAX_FRAME));
        List<ByteBuffer> kept = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add(i + "-" + "v".repeat(i % 23));
        }
        ByteBuffer all = frames(texts.toArray(String[]::new));
        for (int at = 0, cut = 1; at < all.limit(); at += cut, cut = cut % 13 + 2) { // reads of 1 to 14 bytes
            viewing.feed(all.slice(at, Math.min(cut, all.limit() - at)), kept::add);
        }

        assertThat(kept).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(StandardCharsets.UTF_8.decode(kept.get(i).duplicate()).toString()).as("message %d", i)
                    .isEqualTo(texts.get(i));
        }
    }

    @Test
    void severalMessagesInOneRead() {
        reader.feed(frames("a", "", "ccc", "dddd"), out::add);

        assertThat(out).containsExactly("a", "", "ccc", "dddd");
    }

    @Test
    void messageSplitByteByByteIsDeliveredOnlyAfterItsLastByte() {
        ByteBuffer all = frames("hello", "world");
        int firstFrameLength = frame("hello").remaining();
        for (int i = 0; i < all.limit(); i++) {
            reader.feed(ByteBuffer.wrap(new byte[] {all.get(i)}), out::add);
            if (i < firstFrameLength - 1) {
                assertThat(out).as("after byte %d of a %d-byte frame", i + 1, firstFrameLength).isEmpty();
            } else if (i < all.limit() - 1) {
                assertThat(out).as("after byte %d", i + 1).containsExactly("hello");
            }
        }
        assertThat(out).containsExactly("hello", "world");
        assertThat(reader.pendingBytes()).isZero();
    }

    @Test
    void framesSplitAndMergedArbitrarilyDecodeToTheSameMessages() {
        String[] texts = {"alpha", "", "b", "gamma-delta-epsilon", "z"};
        ByteBuffer all = frames(texts);
        int[] cuts = {3, 9, 10, 11, 30, all.limit()};
        int from = 0;
        for (int cut : cuts) {
            reader.feed(all.slice(from, cut - from), out::add);
            from = cut;
        }
        assertThat(out).containsExactly(texts);
    }

    @Test
    void emptyReadIsIgnored() {
        ByteBuffer all = frame("xy");
        reader.feed(all.slice(0, 2), out::add);
        reader.feed(ByteBuffer.allocate(0), out::add);
        reader.feed(all.slice(2, all.limit() - 2), out::add);

        assertThat(out).containsExactly("xy");
    }

    @Test
    void frameLongerThanMaximumIsRejectedAsSoonAsItsLengthArrives() {
        ByteBuffer header = ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).flip();

        assertThatThrownBy(() -> reader.feed(header, out::add))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("frame length " + (MAX_FRAME + 1) + " exceeds maxFrameLength " + MAX_FRAME)
                .satisfies(e -> assertThat(((ProtocolException) e).offset()).isZero());
    }

    @Test
    void negativeLengthIsRejectedAsTooLong() {
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE});

        assertThatThrownBy(() -> reader.feed(header, out::add))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("frame length 4294967294 exceeds maxFrameLength");
    }

    @Test
    void frameOfExactlyMaximumLengthIsAccepted() {
        String largest = "x".repeat(MAX_FRAME);
        reader.feed(frame(largest), out::add);

        assertThat(out).containsExactly(largest);
    }

    @Test
    void lengthPrefixIsBigEndianWhateverTheBufferOrder() {
        ByteBuffer littleEndianView = frame("abc").order(ByteOrder.LITTLE_ENDIAN);

        assertThat(DECODER.decode(littleEndianView)).isEqualTo("abc");
        assertThat(frame("abc").array()).startsWith(0, 0, 0, 3, 'a', 'b', 'c');
    }

    @Test
    void incompleteFrameLeavesThePositionUnchanged() {
        ByteBuffer partial = frame("abcdef").limit(7);

        assertThat(DECODER.decode(partial)).isNull();
        assertThat(partial.position()).isZero();
    }

    @Test
    void negativeMaximumIsRefused() {
        assertThatThrownBy(() -> FrameDecoder.lengthPrefixed(TestFrames.UTF8, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameLength must be >= 0, was -1");
    }
}
