package io.github.reactivepubsub.tcp.remote;

import java.nio.ByteBuffer;

/** HEARTBEAT (0x0B), either way, no fields: the sender sent nothing else for a heartbeat interval. */
record HeartbeatFrame() implements Frame {

    static final HeartbeatFrame INSTANCE = new HeartbeatFrame();

    @Override
    public byte[] encode() {
        return new byte[] {(byte) FrameType.HEARTBEAT.id()};
    }

    static HeartbeatFrame decode(ByteBuffer in, int start) {
        Wire.end(in, start, FrameType.HEARTBEAT);
        return INSTANCE;
    }
}
