package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.ProtocolException;

/**
 * Where a frame being decoded sits: its index in the buffer, its offset in the byte stream, its length N and type
 * byte. Builds {@link ProtocolException}s that carry all of them.
 */
record FrameContext(int frameIndex, long streamOffset, int length, int typeByte) {

    static final int UNKNOWN = -1;

    /**
     * @param relativeOffset offset of the offending byte from the start of the frame (its length field)
     * @param what what was wrong and what was expected
     */
    ProtocolException error(int relativeOffset, String what) {
        long at = streamOffset + relativeOffset;
        StringBuilder sb = new StringBuilder("SoupBinTCP: ").append(what).append(" in packet");
        if (typeByte != UNKNOWN) {
            sb.append(" type ").append(describe(typeByte));
        }
        if (length != UNKNOWN) {
            sb.append(" N=").append(length);
        }
        sb.append(", frame at stream offset ").append(streamOffset);
        return new ProtocolException(at <= Integer.MAX_VALUE ? (int) at : -1, sb.toString());
    }

    static String describe(int typeByte) {
        int b = typeByte & 0xff;
        String hex = String.format("0x%02x", b);
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "' (" + hex + ")" : hex;
    }
}
