package io.github.reactivepubsub.session;

import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test fixtures: a UTF-8 payload codec and length-prefixed framing of strings. */
final class TestFrames {

    static final int MAX_FRAME = 1024;

    /** UTF-8 text; the empty string is an empty payload. */
    static final Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    static final FrameDecoder<String> DECODER = FrameDecoder.lengthPrefixed(UTF8, MAX_FRAME);
    static final FrameEncoder<String> ENCODER = FrameEncoder.lengthPrefixed(UTF8);

    private TestFrames() {
    }

    /** @return one length-prefixed frame holding {@code text} */
    static ByteBuffer frame(String text) {
        return ENCODER.encode(text);
    }

    /** @return the frames of every text, concatenated in one buffer */
    static ByteBuffer frames(String... texts) {
        int length = 0;
        for (String text : texts) {
            length += frame(text).remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (String text : texts) {
            all.put(frame(text));
        }
        return all.flip();
    }
}
