package io.github.reactivepubsub.tcp.remote;

import java.nio.ByteBuffer;

/** UNSUBSCRIBE (0x04), client → server: {@code u32 subscriptionId}. Unknown ids are ignored. */
record UnsubscribeFrame(int id) implements Frame {

    @Override
    public byte[] encode() {
        return Wire.body(FrameType.UNSUBSCRIBE, 4).putInt(id).array();
    }

    static UnsubscribeFrame decode(ByteBuffer in, int start) {
        UnsubscribeFrame frame = new UnsubscribeFrame(Wire.u31(in, start, "subscriptionId"));
        Wire.end(in, start, FrameType.UNSUBSCRIBE);
        return frame;
    }
}
