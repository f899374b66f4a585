package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.codec.ProtocolException;
import java.nio.ByteBuffer;

/**
 * SUBSCRIPTION_END (0x08), server → client: {@code u32 subscriptionId, u8 reason, string detail}. Reason: 0 =
 * COMPLETED (the server's hub closed; sent after the subscription's last MESSAGE), 1 = OVERFLOW (its buffer
 * overflowed under the ERROR policy), 2 = FAILED (any other error, described by the detail).
 */
record SubscriptionEndFrame(int id, Reason reason, String detail) implements Frame {

    /** Why a subscription ended; the ordinal is the wire value. */
    enum Reason {
        COMPLETED, OVERFLOW, FAILED
    }

    @Override
    public byte[] encode() {
        byte[] text = Wire.utf8("detail", detail);
        ByteBuffer out = Wire.body(FrameType.SUBSCRIPTION_END, 4 + 1 + 2 + text.length);
        out.putInt(id).put((byte) reason.ordinal());
        Wire.putString(out, text);
        return out.array();
    }

    static SubscriptionEndFrame decode(ByteBuffer in, int start) {
        int id = Wire.u31(in, start, "subscriptionId");
        int at = in.position() - start;
        int reason = Wire.u8(in, start, "reason");
        if (reason >= Reason.values().length) {
            throw new ProtocolException(at, "subscription end reason " + reason
                    + " is unknown; expected 0 (COMPLETED), 1 (OVERFLOW) or 2 (FAILED)");
        }
        SubscriptionEndFrame frame = new SubscriptionEndFrame(id, Reason.values()[reason],
                Wire.string(in, start, "detail"));
        Wire.end(in, start, FrameType.SUBSCRIPTION_END);
        return frame;
    }
}
