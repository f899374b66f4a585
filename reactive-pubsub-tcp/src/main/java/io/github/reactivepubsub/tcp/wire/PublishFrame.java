package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * PUBLISH (0x06), client → server: {@code string key, payload}; the payload is every byte after the key, as encoded
 * by the client's codec.
 */
public record PublishFrame(Key key, byte[] payload) implements Frame {

    @Override
    public byte[] encode() {
        return encode(key, payload);
    }

    /** Encodes without making the record. */
    public static byte[] encode(Key key, byte[] payload) {
        byte[] text = FrameFields.keyBytes(key);
        ByteBuffer out = FrameFields.body(FrameType.PUBLISH, 2 + text.length + payload.length);
        FrameFields.putString(out, text);
        return out.put(payload).array();
    }

    /**
     * Encodes the whole frame, length prefix included, without making the record (the publish path: one array per
     * publish, sent as it is).
     *
     * @return an {@link EncodedFrame} of the frame
     */
    public static EncodedFrame encodeFramed(Key key, byte[] payload) {
        byte[] text = FrameFields.keyBytes(key);
        ByteBuffer out = FrameFields.framedBody(FrameType.PUBLISH, 2 + text.length + payload.length);
        FrameFields.putString(out, text);
        return new EncodedFrame(out.put(payload).array());
    }

    static PublishFrame decode(ByteBuffer in, int start) {
        return new PublishFrame(FrameFields.key(in, start, "key", true), FrameFields.rest(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishFrame f && f.key.equals(key) && java.util.Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "PublishFrame[key=" + key + ", payload=" + payload.length + " bytes]";
    }
}
