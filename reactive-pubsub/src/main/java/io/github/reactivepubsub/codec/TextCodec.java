package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * {@code AsciiString} / {@code Iso8859String}: a signed 16-bit little-endian character count (0..32767), then one
 * byte per character. Decoding rejects a negative count and a count larger than the bytes left before allocating.
 */
final class TextCodec implements ValueCodec<String> {

    private final int maxChar;

    TextCodec(int maxChar) {
        this.maxChar = maxChar;
    }

    @Override
    public String read(String label, ByteBuffer b, int base) {
        int lengthAt = b.position();
        int length = Wire.readShort(label, ByteOrder.LITTLE_ENDIAN, b, base);
        if (length < 0) {
            throw new ProtocolException(lengthAt - base,
                    label + ": negative length prefix " + length + " (expected 0..32767)");
        }
        if (b.remaining() < length) {
            throw new ProtocolException(lengthAt - base, label + ": length prefix claims " + length
                    + " characters, only " + b.remaining() + " bytes follow");
        }
        String s = Wire.string(label, maxChar, b, base, b.position(), length);
        b.position(b.position() + length);
        return s;
    }

    @Override
    public void write(String label, ByteBuffer b, @Nullable String value) {
        String s = value == null ? "" : value;
        if (s.length() > Short.MAX_VALUE) {
            throw new IllegalArgumentException(label + ": length " + s.length() + " out of range 0..32767");
        }
        Wire.writeShort(label, ByteOrder.LITTLE_ENDIAN, b, (short) s.length());
        Wire.putChars(label, maxChar, b, s);
    }

    @Override
    public int size(@Nullable String value) {
        return Short.BYTES + (value == null ? 0 : value.length());
    }
}
