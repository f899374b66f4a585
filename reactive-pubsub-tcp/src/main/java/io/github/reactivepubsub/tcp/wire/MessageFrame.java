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
        ByteBuffer out = FrameFields.body(FrameType.MESSAGE, 4 + 2 + text.length + payload.length);
        out.putInt(id);
        FrameFields.putString(out, text);
        out.put(payload);
        return out.array();
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
