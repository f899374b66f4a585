package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * DECLARE (0x0D), client → server, version 2: {@code u32 declarationId, u32 replay, string pattern}: declare a topic
 * with that replay count in the server's hub, kept while the declaration lives (until UNDECLARE or the end of the
 * connection). Refused with DECLARATION_REFUSED when the topic is active with other options.
 */
public record DeclareFrame(int id, int replay, Key pattern) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("pattern", pattern.toString());
        ByteBuffer out = FrameFields.body(FrameType.DECLARE, 4 + 4 + 2 + text.length);
        out.putInt(id).putInt(replay);
        FrameFields.putString(out, text);
        return out.array();
    }

    static DeclareFrame decode(ByteBuffer in, int start) {
        DeclareFrame frame = new DeclareFrame(FrameFields.u31(in, start, "declarationId"),
                FrameFields.u31(in, start, "replay"), FrameFields.key(in, start, "pattern", false));
        FrameFields.end(in, start, FrameType.DECLARE);
        return frame;
    }
}
