package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/** UNDECLARE (0x0E), client → server, version 2: {@code u32 declarationId}. Unknown ids are ignored. */
public record UndeclareFrame(int id) implements Frame {

    @Override
    public byte[] encode() {
        return FrameFields.body(FrameType.UNDECLARE, 4).putInt(id).array();
    }

    static UndeclareFrame decode(ByteBuffer in, int start) {
        UndeclareFrame frame = new UndeclareFrame(FrameFields.u31(in, start, "declarationId"));
        FrameFields.end(in, start, FrameType.UNDECLARE);
        return frame;
    }
}
