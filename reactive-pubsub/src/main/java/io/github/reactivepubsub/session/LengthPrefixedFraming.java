package io.github.reactivepubsub.session;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.internal.LengthPrefixedEncoding;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Frames of a 4-byte big-endian payload length followed by the payload. */
final class LengthPrefixedFraming {

    static final int HEADER_LENGTH = 4;

    private LengthPrefixedFraming() {
    }

    static final class Decoder<T> implements FrameDecoder<T> {

        private final Codec<T> codec;
        private final int maxFrameLength;

        Decoder(Codec<T> codec, int maxFrameLength) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.maxFrameLength = Checks.notNegative("maxFrameLength", maxFrameLength);
        }

        @Override
        public @Nullable T decode(ByteBuffer buffer) {
            int start = buffer.position();
            if (buffer.limit() - start < HEADER_LENGTH) {
                return null;
            }
            // Absolute reads of each byte: the header is big-endian whatever the buffer's byte order.
            int length = (buffer.get(start) & 0xFF) << 24 | (buffer.get(start + 1) & 0xFF) << 16
                    | (buffer.get(start + 2) & 0xFF) << 8 | buffer.get(start + 3) & 0xFF;
            if (length < 0 || length > maxFrameLength) {
                throw new ProtocolException(0, "frame length " + Integer.toUnsignedString(length)
                        + " exceeds maxFrameLength " + maxFrameLength + " (4-byte big-endian length prefix)");
            }
            if (buffer.limit() - start - HEADER_LENGTH < length) {
                return null;
            }
            ByteBuffer payload = buffer.slice(start + HEADER_LENGTH, length);
            buffer.position(start + HEADER_LENGTH + length);
            return codec.decode(payload);
        }
    }

    /** Encodes each message behind its length: in one array when the codec can ({@link LengthPrefixedEncoding}). */
    static final class Encoder<T> implements FrameEncoder<T> {

        private final Codec<T> codec;
        private final @Nullable LengthPrefixedEncoding<T> prefixed;

        @SuppressWarnings("unchecked")
        Encoder(Codec<T> codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.prefixed = codec instanceof LengthPrefixedEncoding<?> p ? (LengthPrefixedEncoding<T>) p : null;
        }

        @Override
        public ByteBuffer encode(T message) {
            if (prefixed != null) {
                return prefixed.encodeLengthPrefixed(message);
            }
            byte[] payload = codec.encode(message);
            ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
            frame.putInt(payload.length).put(payload).flip();
            return frame;
        }

        @Override
        public int frameLength(T message) {
            return prefixed != null ? prefixed.lengthPrefixedLength(message) : -1;
        }

        @Override
        public void encode(T message, ByteBuffer out) {
            if (prefixed != null) {
                prefixed.encodeLengthPrefixed(message, out);
            } else {
                out.put(encode(message));
            }
        }
    }
}
