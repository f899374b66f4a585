package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * SUBSCRIPTION_END (0x08), server → client: {@code u32 subscriptionId, u8 reason, string detail}. Reason: 0 =
 * COMPLETED (the server's hub closed; sent after the subscription's last MESSAGE), 1 = OVERFLOW (its buffer
 * overflowed under the ERROR policy), 2 = FAILED (any other error, described by the detail).
 */
public record SubscriptionEndFrame(int id, Reason reason, String detail) implements Frame {

    /** Why a subscription ended; the ordinal is the wire value. */
    public enum Reason {
        COMPLETED, OVERFLOW, FAILED
    }

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("detail", detail);
        ByteBuffer out = FrameFields.body(FrameType.SUBSCRIPTION_END, 4 + 1 + 2 + text.length);
        out.putInt(id).put((byte) reason.ordinal());
        FrameFields.putString(out, text);
        return out.array();
    }

    static SubscriptionEndFrame decode(ByteBuffer in, int start) {
        int id = FrameFields.u31(in, start, "subscriptionId");
        int at = in.position() - start;
        int reason = FrameFields.u8(in, start, "reason");
        if (reason >= Reason.values().length) {
            throw new ProtocolException(at, "subscription end reason " + reason
                    + " is unknown; expected 0 (COMPLETED), 1 (OVERFLOW) or 2 (FAILED)");
        }
        SubscriptionEndFrame frame = new SubscriptionEndFrame(id, Reason.values()[reason],
                FrameFields.string(in, start, "detail"));
        FrameFields.end(in, start, FrameType.SUBSCRIPTION_END);
        return frame;
    }
}
