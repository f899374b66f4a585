package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * MESSAGE (0x07), server → client: {@code u32 subscriptionId, string key, payload}; the key is the concrete key the
 * message was published to, the payload every byte after it. Sent only against credit.
 */
public record MessageFrame(int id, Key key, byte[] payload) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.keyBytes(key);
        return fields(FrameFields.body(FrameType.MESSAGE, bodyLength(text)), text).array();
    }

    /** In one array with its length prefix: the broker sends one per message and subscriber. */
    @Override
    public ByteBuffer encodeFramed() {
        byte[] text = FrameFields.keyBytes(key);
        return fields(FrameFields.framedBody(FrameType.MESSAGE, bodyLength(text)), text).flip();
    }

    private int bodyLength(byte[] text) {
        return 4 + 2 + text.length + payload.length;
    }

    private ByteBuffer fields(ByteBuffer out, byte[] text) {
        out.putInt(id);
        FrameFields.putString(out, text);
        return out.put(payload);
    }

    static MessageFrame decode(ByteBuffer in, int start) {
        return new MessageFrame(FrameFields.u31(in, start, "subscriptionId"), FrameFields.key(in, start, "key", true),
                FrameFields.rest(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageFrame f && f.id == id && f.key.equals(key) && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return (id * 31 + key.hashCode()) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "MessageFrame[id=" + id + ", key=" + key + ", payload=" + payload.length + " bytes]";
    }
}
