package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.tcp.wire.PeerText;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Alpha and numeric fields of SoupBinTCP ({@code docs/soupbintcp.md}, section 3). Encode: the specification's
 * convention, alpha fields left-justified and sessions / sequence numbers right-justified, padded with spaces;
 * decode: lenient, both paddings accepted.
 */
final class SoupFields {

    /**
     * The largest sequence number a message may carry: the number after it ({@code Long.MAX_VALUE}) must still be
     * counted, as the next expected number a client resumes from.
     */
    static final long MAX_SEQUENCE = Long.MAX_VALUE - 1;

    private static final byte SPACE = ' ';
    private static final byte NUL = 0;

    private SoupFields() {
    }

    static void checkAscii(String field, String value, int maxLength) {
        checkAscii(field, value, maxLength, false);
    }

    /** {@link #checkAscii(String, String, int)} for a password: its errors never show the value. */
    static void checkSecretAscii(String field, String value, int maxLength) {
        checkAscii(field, value, maxLength, true);
    }

    private static void checkAscii(String field, String value, int maxLength, boolean secret) {
        String named = secret ? field : field + " '" + PeerText.escape(value) + "'";
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(named + " has " + value.length()
                    + " characters, the field holds at most " + maxLength);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException(named + " has a non-ASCII character"
                        + (secret ? "" : " U+" + String.format("%04X", (int) c)) + " at index " + i
                        + "; SoupBinTCP fields are ASCII");
            }
        }
    }

    static void checkSequence(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " " + value + " is negative; expected 0 or more");
        }
    }

    /** Writes {@code value} padded with spaces to {@code width}: on the right, or on the left when right-justified. */
    static void writeAlpha(ByteBuf out, String value, int width, boolean rightJustified) {
        int pad = width - value.length();
        if (rightJustified) {
            writeSpaces(out, pad);
        }
        for (int i = 0; i < value.length(); i++) {
            out.writeByte(value.charAt(i));
        }
        if (!rightJustified) {
            writeSpaces(out, pad);
        }
    }

    /** Writes {@code value} as right-justified unsigned decimal text, padded on the left with spaces. */
    static void writeNumeric(ByteBuf out, long value, int width) {
        String digits = Long.toString(value);
        writeAlpha(out, digits, width, true);
    }

    private static void writeSpaces(ByteBuf out, int count) {
        for (int i = 0; i < count; i++) {
            out.writeByte(SPACE);
        }
    }

    /**
     * Reads an alpha field of {@code width} bytes at {@code index} (absolute), trimming spaces on both sides.
     *
     * @throws ProtocolException on a non-ASCII byte
     */
    static String readAlpha(ByteBuf in, int index, int width, String field, FrameContext frame) {
        return readAscii(in, index, width, field, frame, true);
    }

    /** Reads {@code width} ASCII bytes at {@code index} (absolute) as they are, e.g. the text of a Debug packet. */
    static String readText(ByteBuf in, int index, int width, String field, FrameContext frame) {
        return readAscii(in, index, width, field, frame, false);
    }

    private static String readAscii(ByteBuf in, int index, int width, String field, FrameContext frame,
            boolean trim) {
        int start = index;
        int end = index + width;
        for (int i = start; i < end; i++) {
            if (in.getByte(i) < 0) {
                throw frame.error(i - frame.frameIndex(), field + " has the non-ASCII byte 0x"
                        + Integer.toHexString(in.getByte(i) & 0xff));
            }
        }
        while (trim && start < end && in.getByte(start) == SPACE) {
            start++;
        }
        while (trim && end > start && in.getByte(end - 1) == SPACE) {
            end--;
        }
        char[] chars = new char[end - start];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) in.getByte(start + i);
        }
        return new String(chars);
    }

    /**
     * Reads an unsigned decimal field of {@code width} bytes at {@code index} (absolute), trimming spaces and NULs
     * on both sides.
     *
     * @param max the largest value accepted
     * @param why why {@code max} is the largest, for the error (e.g. what the value is used for)
     * @throws ProtocolException when blank, not all digits, or above {@code max}
     */
    static long readNumeric(ByteBuf in, int index, int width, String field, long max, String why,
            FrameContext frame) {
        int start = trimStart(in, index, index + width);
        int end = trimEnd(in, start, index + width);
        if (start == end) {
            throw frame.error(index - frame.frameIndex(), field + " is blank; expected unsigned decimal digits");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                throw frame.error(i - frame.frameIndex(), field + " has the byte 0x" + Integer.toHexString(b & 0xff)
                        + " where a decimal digit was expected");
            }
            int digit = b - '0';
            if (value > (max - digit) / 10) {
                throw frame.error(index - frame.frameIndex(), field + " '"
                        + PeerText.escape(in.toString(start, end - start, StandardCharsets.ISO_8859_1)) + "' exceeds "
                        + max + " (" + why + ")");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Checks the requested sequence number of a Login Request: after trimming spaces and NULs, one or more decimal
     * digits (any number of them: the 20-byte field holds numbers beyond the signed 64-bit range).
     *
     * @return why the field is not such a number (escaped), or {@code null} when it is
     */
    static @Nullable String checkRequestedSequence(ByteBuf in, int index, int width) {
        int start = trimStart(in, index, index + width);
        int end = trimEnd(in, start, index + width);
        if (start == end) {
            return "the field is blank; expected unsigned decimal digits";
        }
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return "byte " + (i - index) + " of the field is '" + PeerText.escape(String.valueOf((char) (b & 0xFF)))
                        + "' where a decimal digit was expected (field '"
                        + PeerText.escape(in.toString(index, width, StandardCharsets.ISO_8859_1)) + "')";
            }
        }
        return null;
    }

    /**
     * Reads a requested sequence number that {@link #checkRequestedSequence} accepted; a number beyond the signed
     * 64-bit range is beyond every stream and reads as {@code Long.MAX_VALUE} (the server clamps it to its next).
     */
    static long readRequestedSequence(ByteBuf in, int index, int width) {
        int start = trimStart(in, index, index + width);
        int end = trimEnd(in, start, index + width);
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = in.getByte(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int trimStart(ByteBuf in, int start, int end) {
        while (start < end && isPad(in.getByte(start))) {
            start++;
        }
        return start;
    }

    private static int trimEnd(ByteBuf in, int start, int end) {
        while (end > start && isPad(in.getByte(end - 1))) {
            end--;
        }
        return end;
    }

    private static boolean isPad(byte b) {
        return b == SPACE || b == NUL;
    }
}
