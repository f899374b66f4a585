package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/** UNSUBSCRIBE (0x04), client → server: {@code u32 subscriptionId}. Unknown ids are ignored. */
public record UnsubscribeFrame(int id) implements Frame {

    @Override
    public byte[] encode() {
        return FrameFields.body(FrameType.UNSUBSCRIBE, 4).putInt(id).array();
    }

    static UnsubscribeFrame decode(ByteBuffer in, int start) {
        UnsubscribeFrame frame = new UnsubscribeFrame(FrameFields.u31(in, start, "subscriptionId"));
        FrameFields.end(in, start, FrameType.UNSUBSCRIBE);
        return frame;
    }
}
