package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/** HEARTBEAT (0x0B), either way, no fields: the sender sent nothing else for a heartbeat interval. */
public record HeartbeatFrame() implements Frame {

    public static final HeartbeatFrame INSTANCE = new HeartbeatFrame();

    @Override
    public byte[] encode() {
        return new byte[] {(byte) FrameType.HEARTBEAT.id()};
    }

    static HeartbeatFrame decode(ByteBuffer in, int start) {
        FrameFields.end(in, start, FrameType.HEARTBEAT);
        return INSTANCE;
    }
}
