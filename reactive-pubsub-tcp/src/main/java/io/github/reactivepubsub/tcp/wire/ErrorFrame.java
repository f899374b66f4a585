package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import java.nio.ByteBuffer;

/**
 * ERROR (0x0C), either way: {@code u16 code, string reason}. The sender closes the connection after it; codes are
 * those of {@link ErrorCode}.
 */
public record ErrorFrame(ErrorCode code, String reason) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("reason", reason.length() > 4096 ? reason.substring(0, 4096) : reason);
        ByteBuffer out = FrameFields.body(FrameType.ERROR, 2 + 2 + text.length);
        out.putShort((short) code.wireCode());
        FrameFields.putString(out, text);
        return out.array();
    }

    static ErrorFrame decode(ByteBuffer in, int start) {
        int at = in.position() - start;
        int value = FrameFields.u16(in, start, "code");
        ErrorCode code = ErrorCode.ofWireCode(value);
        if (code == null) {
            throw new ProtocolException(at, "error code " + value + " is unknown; expected one of ErrorCode's");
        }
        ErrorFrame frame = new ErrorFrame(code, FrameFields.string(in, start, "reason"));
        FrameFields.end(in, start, FrameType.ERROR);
        return frame;
    }
}
