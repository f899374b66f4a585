package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.codec.ProtocolException;
import java.nio.ByteBuffer;

/**
 * ERROR (0x0C), either way: {@code u16 code, string reason}. The sender closes the connection after it; codes are
 * those of {@link ErrorCode}.
 */
record ErrorFrame(ErrorCode code, String reason) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = Wire.utf8("reason", reason.length() > 4096 ? reason.substring(0, 4096) : reason);
        ByteBuffer out = Wire.body(FrameType.ERROR, 2 + 2 + text.length);
        out.putShort((short) code.wireCode());
        Wire.putString(out, text);
        return out.array();
    }

    static ErrorFrame decode(ByteBuffer in, int start) {
        int at = in.position() - start;
        int value = Wire.u16(in, start, "code");
        ErrorCode code = ErrorCode.ofWireCode(value);
        if (code == null) {
            throw new ProtocolException(at, "error code " + value + " is unknown; expected one of ErrorCode's");
        }
        ErrorFrame frame = new ErrorFrame(code, Wire.string(in, start, "reason"));
        Wire.end(in, start, FrameType.ERROR);
        return frame;
    }
}
