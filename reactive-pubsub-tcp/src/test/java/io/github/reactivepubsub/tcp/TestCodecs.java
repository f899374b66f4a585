package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test payloads: a packet type byte {@code 'M'} followed by UTF-8 text. */
final class TestCodecs {

    static final byte MESSAGE = 'M';

    /** {@code 'M'} + UTF-8 text; any other type byte is a {@link ProtocolException} (an unknown packet type). */
    static final Codec<String> MESSAGES = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            byte[] text = value.getBytes(StandardCharsets.UTF_8);
            byte[] packet = new byte[1 + text.length];
            packet[0] = MESSAGE;
            System.arraycopy(text, 0, packet, 1, text.length);
            return packet;
        }

        @Override
        public String decode(ByteBuffer buffer) {
            if (!buffer.hasRemaining()) {
                throw new ProtocolException(0, "empty packet; expected a packet type byte");
            }
            byte type = buffer.get();
            if (type != MESSAGE) {
                throw new ProtocolException(0, String.format("unknown packet type 0x%02X; expected 'M' (0x4D)", type));
            }
            byte[] text = new byte[buffer.remaining()];
            buffer.get(text);
            return new String(text, StandardCharsets.UTF_8);
        }
    };

    private TestCodecs() {
    }

    /** @return a raw frame: the 4-byte big-endian {@code length} field followed by {@code payload} */
    static byte[] rawFrame(long length, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt((int) length).put(payload).array();
    }
}
