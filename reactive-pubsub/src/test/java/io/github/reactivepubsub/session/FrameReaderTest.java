package io.github.reactivepubsub.session;

import static io.github.reactivepubsub.session.TestFrames.DECODER;
import static io.github.reactivepubsub.session.TestFrames.MAX_FRAME;
import static io.github.reactivepubsub.session.TestFrames.frame;
import static io.github.reactivepubsub.session.TestFrames.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.internal.LengthPrefixedEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** A codec that only decodes, in the received buffer itself when {@code inPlace}. */
    private abstract static class DecodeOnly<T> implements Codec<T>, LengthPrefixedEncoding<T> {

        private final boolean inPlace;

        DecodeOnly(boolean inPlace) {
            this.inPlace = inPlace;
        }

        @Override
        public byte[] encode(T value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ByteBuffer encodeLengthPrefixed(T message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean decodesInPlace() {
            return inPlace;
        }
    }

    /** Keeps a view of each body (what the remote hub's codec does with payloads), noting where each body began. */
    private static final class Viewing extends DecodeOnly<ByteBuffer> {

        private final List<Integer> positionsSeen = new ArrayList<>();

        Viewing(boolean inPlace) {
            super(inPlace);
        }

        @Override
        public ByteBuffer decode(ByteBuffer buffer) {
            positionsSeen.add(buffer.position());
            ByteBuffer view = buffer.slice();
            buffer.position(buffer.limit());
            return view;
        }
    }

    /**
     * A codec may keep a view of a payload: whatever the reads' split, no later read overwrites the bytes of a frame
     * already decoded (the buffer that gathered an incomplete frame is replaced once a frame came out of it). The same
     * when the codec reads each body in the received buffer itself, its position and limit set around the body.
     */
    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {false, true})
    void viewsKeptByTheCodecStayIntactWhateverTheSplit(boolean inPlace) {
        Viewing views = new Viewing(inPlace);
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
        if (inPlace) {
            assertThat(views.positionsSeen).as("bodies read where they arrived, not from a view's index 0")
                    .anyMatch(position -> position > 0);
        } else {
            assertThat(views.positionsSeen).containsOnly(0);
        }
    }

    /** In place, a codec sees only its frame's body, and the buffer's limit comes back even when it throws. */
    @Test
    void inPlaceTheCodecSeesOneBodyAndTheLimitIsRestoredAfterAFailure() {
        Codec<String> failingOnX = new TextInPlace();
        FrameDecoder<String> decoder = FrameDecoder.lengthPrefixed(failingOnX, MAX_FRAME);
        ByteBuffer read = frames("ab", "x", "cd");
        int limit = read.limit();

        assertThat(decoder.decode(read)).isEqualTo("ab");
        assertThat(read.limit()).isEqualTo(limit);
        assertThatThrownBy(() -> decoder.decode(read)).isInstanceOf(ProtocolException.class);
        assertThat(read.limit()).as("restored after the failure").isEqualTo(limit);
        assertThat(decoder.decode(read)).as("the next frame, after the one that failed").isEqualTo("cd");
        assertThat(read.hasRemaining()).isFalse();
    }

    /** A buffer that is not big-endian gets a (big-endian) view, as codecs without in-place decoding always do. */
    @Test
    void aLittleEndianBufferIsNotDecodedInPlace() {
        Viewing views = new Viewing(true);
        FrameDecoder<ByteBuffer> decoder = FrameDecoder.lengthPrefixed(views, MAX_FRAME);
        ByteBuffer read = frames("a", "b").order(ByteOrder.LITTLE_ENDIAN);

        decoder.decode(read);
        decoder.decode(read);

        assertThat(views.positionsSeen).containsExactly(0, 0);
    }

    /** UTF-8 text read in place: the whole body (position to limit); an "x" is malformed. */
    private static final class TextInPlace extends DecodeOnly<String> {

        TextInPlace() {
            super(true);
        }

        @Override
        public String decode(ByteBuffer buffer) {
            String text = StandardCharsets.UTF_8.decode(buffer).toString();
            if (text.equals("x")) {
                throw new ProtocolException(0, "x is not a message; expected anything else");
            }
            return text;
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
