package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level readers and writers behind {@link FieldType}: one static method per scalar wire form, plus the
 * string helpers shared by the length-prefixed and fixed-width string types.
 *
 * <p>Every method takes a {@code label} first (the field, e.g. {@code field 'AddOrder.price' (UnsignedIntBE)}, or
 * just the type name) that goes into error messages. Readers take the buffer and {@code base}, the buffer
 * position where the enclosing message starts, so that {@link ProtocolException#offset()} is relative to the
 * message. Readers use relative gets (the position advances) and check the remaining bytes first; writers use
 * relative puts and assume the caller checked the room. Multi-byte reads and writes convert from/to the
 * requested {@link ByteOrder} whatever the buffer's own order is.
 *
 * <p>{@link FieldType} binds these methods into {@link java.lang.invoke.MethodHandle}s once, so that the
 * message decoders built from them never box a primitive.
 */
final class Wire {

    static final int MAX_ASCII = 0x7F;
    static final int MAX_ISO = 0xFF;

    private Wire() {
    }

    // ---- checks and errors ----

    static void need(String label, ByteBuffer b, int base, int bytes) {
        if (b.remaining() < bytes) {
            throw underflow(label, b, base, bytes);
        }
    }

    /** Kept out of {@link #need} so that the check stays small enough to inline everywhere. */
    private static ProtocolException underflow(String label, ByteBuffer b, int base, int bytes) {
        return new ProtocolException(b.position() - base,
                label + ": expected " + bytes + " byte" + (bytes == 1 ? "" : "s") + ", found " + b.remaining());
    }

    static IllegalArgumentException outOfRange(String label, long value, long min, long max) {
        return new IllegalArgumentException(label + ": value " + value + " out of range " + min + ".." + max);
    }

    private static boolean swap(ByteBuffer b, ByteOrder order) {
        return b.order() != order;
    }

    // ---- scalars ----

    static boolean readBoolean(String label, ByteBuffer b, int base) {
        need(label, b, base, 1);
        return b.get() == 1;
    }

    static void writeBoolean(String label, ByteBuffer b, boolean v) {
        b.put(v ? (byte) 1 : (byte) 0);
    }

    static int readByte(String label, ByteBuffer b, int base) {
        need(label, b, base, 1);
        return b.get() & 0xFF;
    }

    static void writeByte(String label, ByteBuffer b, int v) {
        if (v < 0 || v > 0xFF) {
            throw outOfRange(label, v, 0, 0xFF);
        }
        b.put((byte) v);
    }

    static short readShort(String label, ByteOrder order, ByteBuffer b, int base) {
        need(label, b, base, Short.BYTES);
        short v = b.getShort();
        return swap(b, order) ? Short.reverseBytes(v) : v;
    }

    static void writeShort(String label, ByteOrder order, ByteBuffer b, short v) {
        b.putShort(swap(b, order) ? Short.reverseBytes(v) : v);
    }

    static int readUnsignedShort(String label, ByteOrder order, ByteBuffer b, int base) {
        return Short.toUnsignedInt(readShort(label, order, b, base));
    }

    static void writeUnsignedShort(String label, ByteOrder order, ByteBuffer b, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw outOfRange(label, v, 0, 0xFFFF);
        }
        writeShort(label, order, b, (short) v);
    }

    static int readInt(String label, ByteOrder order, ByteBuffer b, int base) {
        need(label, b, base, Integer.BYTES);
        int v = b.getInt();
        return swap(b, order) ? Integer.reverseBytes(v) : v;
    }

    static void writeInt(String label, ByteOrder order, ByteBuffer b, int v) {
        b.putInt(swap(b, order) ? Integer.reverseBytes(v) : v);
    }

    static long readUnsignedInt(String label, ByteOrder order, ByteBuffer b, int base) {
        return Integer.toUnsignedLong(readInt(label, order, b, base));
    }

    static void writeUnsignedInt(String label, ByteOrder order, ByteBuffer b, long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw outOfRange(label, v, 0, 0xFFFF_FFFFL);
        }
        writeInt(label, order, b, (int) v);
    }

    static long readLong(String label, ByteOrder order, ByteBuffer b, int base) {
        need(label, b, base, Long.BYTES);
        long v = b.getLong();
        return swap(b, order) ? Long.reverseBytes(v) : v;
    }

    static void writeLong(String label, ByteOrder order, ByteBuffer b, long v) {
        b.putLong(swap(b, order) ? Long.reverseBytes(v) : v);
    }

    static char readChar(String label, int maxChar, ByteBuffer b, int base) {
        need(label, b, base, 1);
        int c = b.get() & 0xFF;
        if (c > maxChar) {
            throw notAscii(label, b.position() - 1 - base, c);
        }
        return (char) c;
    }

    static void writeChar(String label, int maxChar, ByteBuffer b, char v) {
        checkChar(label, maxChar, v, -1);
        b.put((byte) v);
    }

    // ---- strings ----

    private static ProtocolException notAscii(String label, int offset, int c) {
        return new ProtocolException(offset,
                label + ": byte 0x" + Integer.toHexString(c) + " is not ASCII (expected 0x00..0x7f)");
    }

    private static void checkChar(String label, int maxChar, char c, int index) {
        if (c > maxChar) {
            throw new IllegalArgumentException(label + ": character '" + c + "' (U+"
                    + String.format("%04X", (int) c) + ")" + (index >= 0 ? " at index " + index : "")
                    + " is not " + (maxChar == MAX_ASCII ? "ASCII (expected U+0000..U+007F)"
                            : "ISO-8859-1 (expected U+0000..U+00FF)"));
        }
    }

    /**
     * Builds a string from {@code length} bytes at absolute index {@code from}, rejecting non-ASCII bytes when
     * {@code maxChar} is {@link #MAX_ASCII}. Does not move the position. The caller checked that the bytes exist.
     */
    static String string(String label, int maxChar, ByteBuffer b, int base, int from, int length) {
        if (maxChar == MAX_ASCII) {
            for (int i = from, end = from + length; i < end; i++) {
                if (b.get(i) < 0) {
                    throw notAscii(label, i - base, b.get(i) & 0xFF);
                }
            }
        }
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + from, length, StandardCharsets.ISO_8859_1);
        }
        byte[] bytes = new byte[length];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Writes each character as one byte after checking it is at most {@code maxChar}. */
    static void putChars(String label, int maxChar, ByteBuffer b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            checkChar(label, maxChar, c, i);
            b.put((byte) c);
        }
    }

    /**
     * Whitespace stripped from both ends of fixed-width strings: Python's {@code str.strip()} set within
     * ISO-8859-1 (0x09-0x0D, 0x1C-0x20, and for ISO-8859-1 also 0x85 and 0xA0). NUL is not whitespace.
     */
    static boolean isStripped(int c, int maxChar) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)
                || (maxChar == MAX_ISO && (c == 0x85 || c == 0xA0));
    }
}
