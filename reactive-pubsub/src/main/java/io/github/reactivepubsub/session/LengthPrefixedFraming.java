package io.github.reactivepubsub.session;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.internal.Checks;
import io.github.reactivepubsub.internal.LengthPrefixedEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        /** The codec reads each body from the buffer itself ({@link LengthPrefixedEncoding#decodesInPlace()}). */
        private final boolean inPlace;

        Decoder(Codec<T> codec, int maxFrameLength) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.maxFrameLength = Checks.notNegative("maxFrameLength", maxFrameLength);
            this.inPlace = codec instanceof LengthPrefixedEncoding<?> p && p.decodesInPlace();
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
            int body = start + HEADER_LENGTH;
            int end = body + length;
            if (!inPlace || buffer.order() != ByteOrder.BIG_ENDIAN) { // a view is big-endian, as the codec expects
                ByteBuffer payload = buffer.slice(body, length);
                buffer.position(end);
                return codec.decode(payload);
            }
            int limit = buffer.limit();
            buffer.limit(end).position(body);
            try {
                return codec.decode(buffer);
            } finally {
                buffer.limit(limit).position(end);
            }
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
