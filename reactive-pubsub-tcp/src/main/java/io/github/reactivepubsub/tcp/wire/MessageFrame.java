package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * MESSAGE (0x07), server → client: {@code u32 subscriptionId, string key, payload}; the key is the concrete key the
 * message was published to, the payload every byte after it. Sent only against credit.
 *
 * <p>The payload is the bytes between the buffer's position and limit. A decoded frame's payload is a view of the
 * received bytes, not a copy ({@link FrameCodec} says how long they stay valid). Reading it consumes it, so a
 * frame is handed to one consumer, which reads its payload once (the client: its subscriber's codec). Encoding,
 * {@link #equals}, {@link #hashCode} and {@link #toString} read the remaining bytes without moving the position (the
 * broker counts a waiting frame's size before and after writing it); equality compares their content
 * ({@link ByteBuffer#equals}).
 *
 * @param id the subscription the message is for
 * @param key the concrete key the message was published to
 * @param payload the encoded payload, between its position and limit
 */
public record MessageFrame(int id, Key key, ByteBuffer payload) implements Frame {

    /**
     * A frame whose payload is the whole array, wrapped (not copied): the array must not change afterwards.
     *
     * @param id the subscription the message is for
     * @param key the concrete key the message was published to
     * @param payload the encoded payload
     */
    public MessageFrame(int id, Key key, byte[] payload) {
        this(id, key, ByteBuffer.wrap(payload));
    }

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.keyBytes(key);
        return fields(FrameFields.body(FrameType.MESSAGE, bodyLength(text)), text).array();
    }

    /** In one array with its length prefix. */
    @Override
    public ByteBuffer encodeFramed() {
        byte[] text = FrameFields.keyBytes(key);
        return fields(FrameFields.framedBody(FrameType.MESSAGE, bodyLength(text)), text).flip();
    }

    /** @return the whole frame's length, prefix included, without encoding it */
    @Override
    public int framedLength() {
        return FrameFields.PREFIX + 1 + bodyLength(FrameFields.keyBytes(key));
    }

    /** Writes the whole frame field by field (the broker's data path: straight into the transport's buffer). */
    @Override
    public void encodeFramed(ByteBuffer out) {
        byte[] text = FrameFields.keyBytes(key);
        out.putInt(1 + bodyLength(text)).put((byte) FrameType.MESSAGE.id());
        fields(out, text);
    }

    private int bodyLength(byte[] text) {
        return 4 + 2 + text.length + payload.remaining();
    }

    private ByteBuffer fields(ByteBuffer out, byte[] text) {
        out.putInt(id);
        FrameFields.putString(out, text);
        return FrameFields.putPayload(out, payload);
    }

    /** The payload is a view of the rest of {@code in}, which is advanced to its limit. */
    static MessageFrame decode(ByteBuffer in, int start) {
        return new MessageFrame(FrameFields.u31(in, start, "subscriptionId"), FrameFields.key(in, start, "key", true),
                FrameFields.rest(in));
    }

    @Override
    public String toString() {
        return "MessageFrame[id=" + id + ", key=" + key + ", payload=" + payload.remaining() + " bytes]";
    }
}
