package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * CREDIT (0x05), client → server: {@code u32 subscriptionId, u32 credit}: the server may send {@code credit} more
 * MESSAGE frames for the subscription; {@code 0xFFFFFFFF} means without limit from now on. Unknown ids are ignored.
 */
public record CreditFrame(int id, long credit) implements Frame {

    /** The credit value meaning "no limit". */
    public static final long UNBOUNDED = 0xFFFF_FFFFL;

    /**
     * @param id the subscription
     * @param credit 0 to {@link #UNBOUNDED}: what one frame can carry
     * @throws IllegalArgumentException when the credit does not fit the frame
     */
    public CreditFrame {
        if (credit < 0 || credit > UNBOUNDED) {
            throw new IllegalArgumentException("credit " + credit + " does not fit a CREDIT frame; expected 0.."
                    + UNBOUNDED + " (" + UNBOUNDED + " = unbounded)");
        }
    }

    @Override
    public byte[] encode() {
        return FrameFields.body(FrameType.CREDIT, 8).putInt(id).putInt((int) credit).array();
    }

    static CreditFrame decode(ByteBuffer in, int start) {
        CreditFrame frame = new CreditFrame(FrameFields.u31(in, start, "subscriptionId"),
                FrameFields.u32(in, start, "credit"));
        FrameFields.end(in, start, FrameType.CREDIT);
        return frame;
    }
}
