package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * MESSAGE (0x07), server → client: {@code u32 subscriptionId, string key, payload}; the key is the concrete key the
 * message was published to, the payload every byte after it. Sent only against credit.
 *
 * <p>The payload: see {@link PayloadFrame}. A decoded frame's is a view of the received bytes, not a copy
 * ({@link FrameCodec} says how long they stay valid), read once by its one consumer
 * (the client: its subscriber's codec).
 */
public final class MessageFrame extends PayloadFrame {

    private final int id;
    private final Key key;

    /**
     * A frame whose payload is the bytes between the buffer's position and limit (a decoded frame's view).
     *
     * @param id the subscription the message is for
     * @param key the concrete key the message was published to
     * @param payload the encoded payload, between its position and limit
     */
    public MessageFrame(int id, Key key, ByteBuffer payload) {
        super(payload);
        this.id = id;
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * A frame whose payload is the whole array, neither copied nor wrapped: the array must not change afterwards.
     *
     * @param id the subscription the message is for
     * @param key the concrete key the message was published to
     * @param payload the encoded payload
     */
    public MessageFrame(int id, Key key, byte[] payload) {
        super(payload);
        this.id = id;
        this.key = Objects.requireNonNull(key, "key");
    }

    /** @return the subscription the message is for */
    public int id() {
        return id;
    }

    /** @return the concrete key the message was published to */
    public Key key() {
        return key;
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
        return 4 + 2 + text.length + payloadLength();
    }

    private ByteBuffer fields(ByteBuffer out, byte[] text) {
        out.putInt(id);
        FrameFields.putString(out, text);
        return putPayload(out);
    }

    /** The payload is a view of the rest of {@code in}, which is advanced to its limit. */
    static MessageFrame decode(ByteBuffer in, int start) {
        return new MessageFrame(FrameFields.u31(in, start, "subscriptionId"), FrameFields.key(in, start, "key", true),
                FrameFields.rest(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageFrame m && id == m.id && key.equals(m.key) && samePayload(m);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id + key.hashCode()) + payloadHash();
    }

    @Override
    public String toString() {
        return "MessageFrame[id=" + id + ", key=" + key + ", payload=" + payloadLength() + " bytes]";
    }
}
