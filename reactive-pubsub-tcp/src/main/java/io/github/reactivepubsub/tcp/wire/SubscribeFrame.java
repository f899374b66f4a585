package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * SUBSCRIBE (0x03), client → server: {@code u32 subscriptionId, u32 bufferSize, u8 overflow, string pattern}.
 * Overflow: 0 = ERROR, 1 = DROP_OLDEST, 2 = DROP_LATEST. The subscription starts with no credit.
 */
public record SubscribeFrame(int id, int bufferSize, Overflow overflow, Key pattern) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("pattern", pattern.toString());
        ByteBuffer out = FrameFields.body(FrameType.SUBSCRIBE, 4 + 4 + 1 + 2 + text.length);
        out.putInt(id).putInt(bufferSize).put((byte) overflow.ordinal());
        FrameFields.putString(out, text);
        return out.array();
    }

    static SubscribeFrame decode(ByteBuffer in, int start) {
        int id = FrameFields.u31(in, start, "subscriptionId");
        int bufferSize = FrameFields.u31(in, start, "bufferSize");
        int at = in.position() - start;
        int policy = FrameFields.u8(in, start, "overflow");
        if (policy >= Overflow.values().length) {
            throw new ProtocolException(at, "overflow policy " + policy
                    + " is unknown; expected 0 (ERROR), 1 (DROP_OLDEST) or 2 (DROP_LATEST)");
        }
        if (bufferSize < 1) {
            throw new ProtocolException(at - 4, "bufferSize 0; expected at least 1");
        }
        SubscribeFrame frame = new SubscribeFrame(id, bufferSize, Overflow.values()[policy],
                FrameFields.key(in, start, "pattern", false));
        FrameFields.end(in, start, FrameType.SUBSCRIBE);
        return frame;
    }
}
