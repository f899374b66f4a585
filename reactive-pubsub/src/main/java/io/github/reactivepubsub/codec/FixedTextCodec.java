package io.github.reactivepubsub.codec;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * {@code FixedAsciiString(len, rightJustified)} / {@code FixedIsoString(...)}: exactly {@code len} bytes, padded
 * with spaces on the right (or on the left when right-justified). Decoding strips {@link Wire#isStripped
 * whitespace} on both sides, whatever the justification; NUL is kept. A longer value is rejected on encode.
 *
 * @param length the field's width, in bytes
 * @param rightJustified whether the value is padded on the left
 * @param maxChar the highest character of the charset (127 for ASCII, 255 for ISO-8859-1)
 */
record FixedTextCodec(int length, boolean rightJustified, int maxChar) implements ValueCodec<String> {

    @Override
    public String read(String label, ByteBuffer b, int base) {
        Wire.need(label, b, base, length);
        int from = b.position();
        int end = from + length;
        b.position(end);
        int start = from;
        while (start < end && Wire.isStripped(b.get(start) & 0xFF, maxChar)) {
            start++;
        }
        int stop = end;
        while (stop > start && Wire.isStripped(b.get(stop - 1) & 0xFF, maxChar)) {
            stop--;
        }
        // stripped bytes are all below 0x80 in the ASCII type, so only [start, stop) needs the ASCII check
        return Wire.string(label, maxChar, b, base, start, stop - start);
    }

    @Override
    public void write(String label, ByteBuffer b, @Nullable String value) {
        String s = value == null ? "" : value;
        if (s.length() > length) {
            throw new IllegalArgumentException(label + ": \"" + s + "\" has " + s.length()
                    + " characters, more than the field's " + length);
        }
        if (rightJustified) {
            pad(b, length - s.length());
        }
        Wire.putChars(label, maxChar, b, s);
        if (!rightJustified) {
            pad(b, length - s.length());
        }
    }

    private static void pad(ByteBuffer b, int count) {
        for (int i = 0; i < count; i++) {
            b.put((byte) ' ');
        }
    }

    @Override
    public int size(@Nullable String value) {
        return length;
    }
}
