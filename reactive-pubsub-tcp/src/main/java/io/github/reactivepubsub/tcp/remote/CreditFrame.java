package io.github.reactivepubsub.tcp.remote;

import java.nio.ByteBuffer;

/**
 * CREDIT (0x05), client → server: {@code u32 subscriptionId, u32 credit}: the server may send {@code credit} more
 * MESSAGE frames for the subscription; {@code 0xFFFFFFFF} means without limit from now on. Unknown ids are ignored.
 */
record CreditFrame(int id, long credit) implements Frame {

    /** The credit value meaning "no limit". */
    static final long UNBOUNDED = 0xFFFF_FFFFL;

    @Override
    public byte[] encode() {
        return Wire.body(FrameType.CREDIT, 8).putInt(id).putInt((int) credit).array();
    }

    static CreditFrame decode(ByteBuffer in, int start) {
        CreditFrame frame = new CreditFrame(Wire.u31(in, start, "subscriptionId"), Wire.u32(in, start, "credit"));
        Wire.end(in, start, FrameType.CREDIT);
        return frame;
    }
}
