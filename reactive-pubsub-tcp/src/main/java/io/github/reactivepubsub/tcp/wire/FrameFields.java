package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.InvalidKeyException;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Field encodings shared by the frame classes: big-endian integers (ByteBuffer's default order), strings as an
 * unsigned 16-bit byte length followed by that many UTF-8 bytes, keys as strings in their dotted form. Offsets in
 * errors are relative to the start of the frame body (the type byte is offset 0). Stateless.
 */
public final class FrameFields {

    /** Longest string on the wire, in UTF-8 bytes. */
    public static final int MAX_STRING = 0xFFFF;
    /** The TCP session's length prefix before each body: 4 bytes, big-endian. */
    static final int PREFIX = 4;

    private FrameFields() {
    }

    /** @return the UTF-8 bytes of a string field, checked against the u16 length */
    static byte[] utf8(String field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING) {
            throw new IllegalArgumentException(field + " is " + bytes.length + " UTF-8 bytes; the wire allows at most "
                    + MAX_STRING);
        }
        return bytes;
    }

    /** Writes a u16 length and the bytes. */
    static void putString(ByteBuffer out, byte[] utf8) {
        out.putShort((short) utf8.length);
        out.put(utf8);
    }

    /** Starts a frame body of {@code bodyLength} bytes after the type byte. */
    static ByteBuffer body(FrameType type, int bodyLength) {
        ByteBuffer out = ByteBuffer.allocate(1 + bodyLength);
        out.put((byte) type.id());
        return out;
    }

    /** Starts a whole frame: the length prefix, then a body of {@code bodyLength} bytes after the type byte. */
    static ByteBuffer framedBody(FrameType type, int bodyLength) {
        ByteBuffer out = ByteBuffer.allocate(PREFIX + 1 + bodyLength);
        out.putInt(1 + bodyLength).put((byte) type.id());
        return out;
    }

    static int u8(ByteBuffer in, int start, String field) {
        need(in, start, 1, field);
        return in.get() & 0xFF;
    }

    static int u16(ByteBuffer in, int start, String field) {
        need(in, start, 2, field);
        return in.getShort() & 0xFFFF;
    }

    /** @return an unsigned 32-bit value */
    static long u32(ByteBuffer in, int start, String field) {
        need(in, start, 4, field);
        return in.getInt() & 0xFFFF_FFFFL;
    }

    /** @return an unsigned 32-bit value that must fit an int (0 .. 2^31 - 1) */
    static int u31(ByteBuffer in, int start, String field) {
        int at = in.position() - start;
        long value = u32(in, start, field);
        if (value > Integer.MAX_VALUE) {
            throw new ProtocolException(at, field + " is " + value + "; expected at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** The u16 length before a string or key: the field's name is joined with " length" only for an error. */
    private static int lengthOf(ByteBuffer in, int start, String field) {
        if (in.remaining() < 2) {
            need(in, start, 2, field + " length");
        }
        return in.getShort() & 0xFFFF;
    }

    static String string(ByteBuffer in, int start, String field) {
        int length = lengthOf(in, start, field);
        return text(in, start, length, field);
    }

    /** Decodes {@code length} bytes of UTF-8 (checked: malformed input is an error), advancing past them. */
    private static String text(ByteBuffer in, int start, int length, String field) {
        int at = in.position() - start;
        need(in, start, length, field);
        int from = in.position();
        in.position(from + length);
        if (isAscii(in, from, length)) { // the usual case, without a CharsetDecoder per string
            byte[] ascii = new byte[length];
            in.get(from, ascii);
            return new String(ascii, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in.slice(from, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(at, field + " is not valid UTF-8", e);
        }
    }

    private static boolean isAscii(ByteBuffer in, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (in.get(i) < 0) {
                return false;
            }
        }
        return true;
    }

    static Key key(ByteBuffer in, int start, String field, boolean concrete) {
        int at = in.position() - start;
        int length = lengthOf(in, start, field);
        need(in, start, length, field);
        Key key = KeyCache.CURRENT.get().decoded(in, in.position(), length);
        if (key != null) {
            in.position(in.position() + length);
        } else {
            int from = in.position();
            String text = text(in, start, length, field);
            try {
                key = Key.parse(text);
            } catch (InvalidKeyException e) {
                throw new ProtocolException(at, field + " '" + PeerText.escape(text) + "' is not a valid key: "
                        + PeerText.escape(String.valueOf(e.getMessage()), 256), e); // Key quotes the text as it is
            }
            KeyCache.CURRENT.get().decodedAs(in, from, length, key);
        }
        if (concrete && key.isPattern()) {
            throw new ProtocolException(at, field + " '" + PeerText.escape(key.toString())
                    + "' is a pattern; expected a concrete key");
        }
        return key;
    }

    /** @return the UTF-8 bytes of a key (cached per thread: publishing to the same keys encodes each once) */
    static byte[] keyBytes(Key key) {
        return KeyCache.CURRENT.get().encoded(key);
    }

    /** @return a view of the remaining bytes of the frame (not copied), with {@code in} advanced to its limit */
    static ByteBuffer rest(ByteBuffer in) {
        ByteBuffer rest = in.slice();
        in.position(in.limit());
        return rest;
    }

    /**
     * Writes a payload's remaining bytes without moving its position: from its array when it has one, else by an
     * absolute bulk put (no view of it either way).
     *
     * @return {@code out}, advanced past the payload
     */
    static ByteBuffer putPayload(ByteBuffer out, ByteBuffer payload) {
        int length = payload.remaining();
        if (payload.hasArray()) {
            return out.put(payload.array(), payload.arrayOffset() + payload.position(), length);
        }
        int at = out.position();
        return out.put(at, payload, payload.position(), length).position(at + length);
    }

    static void end(ByteBuffer in, int start, FrameType type) {
        if (in.hasRemaining()) {
            throw new ProtocolException(in.position() - start, type + " frame has " + in.remaining()
                    + " bytes after its last field; expected none");
        }
    }

    private static void need(ByteBuffer in, int start, int bytes, String field) {
        if (in.remaining() < bytes) {
            throw new ProtocolException(in.position() - start, "frame ends within " + field + ": " + bytes
                    + " bytes needed, " + in.remaining() + " left");
        }
    }
}
