package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Not a frame type: a whole frame already encoded by its sender, length prefix included (the client's publish path
 * encodes a PUBLISH once, to check its size against the limit before queueing it, and the session sends that array
 * as it is). Never produced by decoding.
 *
 * @param framed the 4-byte big-endian body length, then the body
 */
public record EncodedFrame(byte[] framed) implements Frame {

    /** @return the body's length in bytes (type byte and fields, without the length prefix) */
    public int bodyLength() {
        return framed.length - FrameFields.PREFIX;
    }

    /** @return a copy of the body (the data path sends {@link #encodeFramed()} instead) */
    @Override
    public byte[] encode() {
        return Arrays.copyOfRange(framed, FrameFields.PREFIX, framed.length);
    }

    /** @return the frame itself, not copied */
    @Override
    public ByteBuffer encodeFramed() {
        return ByteBuffer.wrap(framed);
    }

    @Override
    public int framedLength() {
        return framed.length;
    }

    @Override
    public void encodeFramed(ByteBuffer out) {
        out.put(framed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame f && Arrays.equals(f.framed, framed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(framed);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + bodyLength() + " bytes]";
    }
}
