package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * PUBLISH (0x06), client → server: {@code string key, payload}; the payload is every byte after the key, as encoded
 * by the client's codec.
 *
 * <p>The payload is the bytes between the buffer's position and limit. A decoded frame's payload is a view of the
 * received bytes, not a copy ({@link FrameCodec} says how long they stay valid). Reading it consumes it, so a
 * frame is handed to one consumer, which reads its payload once (the broker: the codec's {@code decode}). Encoding,
 * {@link #equals}, {@link #hashCode} and {@link #toString} read the remaining bytes without moving the position;
 * equality compares their content ({@link ByteBuffer#equals}).
 *
 * @param key the concrete key published to
 * @param payload the encoded payload, between its position and limit
 */
public record PublishFrame(Key key, ByteBuffer payload) implements Frame {

    /**
     * A frame whose payload is the whole array, wrapped (not copied): the array must not change afterwards.
     *
     * @param key the concrete key published to
     * @param payload the encoded payload
     */
    public PublishFrame(Key key, byte[] payload) {
        this(key, ByteBuffer.wrap(payload));
    }

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.keyBytes(key);
        ByteBuffer out = FrameFields.body(FrameType.PUBLISH, 2 + text.length + payload.remaining());
        FrameFields.putString(out, text);
        return FrameFields.putPayload(out, payload).array();
    }

    /** @return the whole frame's length, prefix included, without encoding it */
    @Override
    public int framedLength() {
        return FrameFields.PREFIX + 1 + 2 + FrameFields.keyBytes(key).length + payload.remaining();
    }

    /** Writes the whole frame field by field (the publish path: straight into the transport's buffer). */
    @Override
    public void encodeFramed(ByteBuffer out) {
        byte[] text = FrameFields.keyBytes(key);
        out.putInt(1 + 2 + text.length + payload.remaining()).put((byte) FrameType.PUBLISH.id());
        FrameFields.putString(out, text);
        FrameFields.putPayload(out, payload);
    }

    /** The payload is a view of the rest of {@code in}, which is advanced to its limit. */
    static PublishFrame decode(ByteBuffer in, int start) {
        return new PublishFrame(FrameFields.key(in, start, "key", true), FrameFields.rest(in));
    }

    @Override
    public String toString() {
        return "PublishFrame[key=" + key + ", payload=" + payload.remaining() + " bytes]";
    }
}
