package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * PUBLISH (0x06), client → server: {@code string key, payload}; the payload is every byte after the key, as encoded
 * by the client's codec.
 *
 * <p>The payload: see {@link PayloadFrame}. A decoded frame's is a view of the received bytes, not a copy
 * ({@link FrameCodec} says how long they stay valid), read once by its one consumer
 * (the broker: the codec's {@code decode}).
 */
public final class PublishFrame extends PayloadFrame {

    private final Key key;

    /**
     * A frame whose payload is the bytes between the buffer's position and limit (a decoded frame's view).
     *
     * @param key the concrete key published to
     * @param payload the encoded payload, between its position and limit
     */
    public PublishFrame(Key key, ByteBuffer payload) {
        super(payload);
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * A frame whose payload is the whole array, neither copied nor wrapped: the array must not change afterwards.
     *
     * @param key the concrete key published to
     * @param payload the encoded payload
     */
    public PublishFrame(Key key, byte[] payload) {
        super(payload);
        this.key = Objects.requireNonNull(key, "key");
    }

    /** @return the concrete key published to */
    public Key key() {
        return key;
    }

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.keyBytes(key);
        ByteBuffer out = FrameFields.body(FrameType.PUBLISH, 2 + text.length + payloadLength());
        FrameFields.putString(out, text);
        return putPayload(out).array();
    }

    /** @return the whole frame's length, prefix included, without encoding it */
    @Override
    public int framedLength() {
        return FrameFields.PREFIX + 1 + 2 + FrameFields.keyBytes(key).length + payloadLength();
    }

    /** Writes the whole frame field by field (the publish path: straight into the transport's buffer). */
    @Override
    public void encodeFramed(ByteBuffer out) {
        byte[] text = FrameFields.keyBytes(key);
        out.putInt(1 + 2 + text.length + payloadLength()).put((byte) FrameType.PUBLISH.id());
        FrameFields.putString(out, text);
        putPayload(out);
    }

    /** The payload is a view of the rest of {@code in}, which is advanced to its limit. */
    static PublishFrame decode(ByteBuffer in, int start) {
        return new PublishFrame(FrameFields.key(in, start, "key", true), FrameFields.rest(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishFrame p && key.equals(p.key) && samePayload(p);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + payloadHash();
    }

    @Override
    public String toString() {
        return "PublishFrame[key=" + key + ", payload=" + payloadLength() + " bytes]";
    }
}
