package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * DECLARATION_REFUSED (0x0F), server → client, version 2: {@code u32 declarationId, string reason}: the server's hub
 * refused the declaration (the topic is active with other options, or a limit); the declaration is gone.
 */
public record DeclarationRefusedFrame(int id, String reason) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("reason", reason.length() > 4096 ? reason.substring(0, 4096) : reason);
        ByteBuffer out = FrameFields.body(FrameType.DECLARATION_REFUSED, 4 + 2 + text.length);
        out.putInt(id);
        FrameFields.putString(out, text);
        return out.array();
    }

    static DeclarationRefusedFrame decode(ByteBuffer in, int start) {
        DeclarationRefusedFrame frame = new DeclarationRefusedFrame(FrameFields.u31(in, start, "declarationId"),
                FrameFields.string(in, start, "reason"));
        FrameFields.end(in, start, FrameType.DECLARATION_REFUSED);
        return frame;
    }
}
