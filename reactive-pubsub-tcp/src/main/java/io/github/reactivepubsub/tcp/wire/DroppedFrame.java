package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * DROPPED (0x11), server → client, version 2: {@code u32 subscriptionId, u32 count}: the subscription's buffer on the
 * server dropped {@code count} messages (1 to 2^31 - 1) under its DROP_OLDEST or DROP_LATEST policy, at this point
 * of its stream: they were published after the messages of the MESSAGE frames sent for it before this frame and
 * before those of the MESSAGE frames after it. The server adds up the drops of one gap into one frame.
 */
public record DroppedFrame(int id, int count) implements Frame {

    /** The largest count one frame carries. */
    public static final int MAX_COUNT = Integer.MAX_VALUE;

    /**
     * Checks the count.
     *
     * @param id the subscription
     * @param count 1 to {@link #MAX_COUNT}
     * @throws IllegalArgumentException when the count is not positive
     */
    public DroppedFrame {
        if (count < 1) {
            throw new IllegalArgumentException("a DROPPED frame counts 1.." + MAX_COUNT + " messages, got " + count);
        }
    }

    @Override
    public byte[] encode() {
        return FrameFields.body(FrameType.DROPPED, 8).putInt(id).putInt(count).array();
    }

    static DroppedFrame decode(ByteBuffer in, int start) {
        int id = FrameFields.u31(in, start, "subscriptionId");
        int at = in.position() - start;
        int count = FrameFields.u31(in, start, "count");
        if (count == 0) {
            throw new ProtocolException(at, "DROPPED count is 0; expected 1.." + MAX_COUNT);
        }
        FrameFields.end(in, start, FrameType.DROPPED);
        return new DroppedFrame(id, count);
    }
}
