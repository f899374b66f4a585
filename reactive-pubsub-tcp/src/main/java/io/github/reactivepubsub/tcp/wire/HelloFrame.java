package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * HELLO (0x01), client → server, the first frame of a connection: {@code u16 minVersion, u16 maxVersion,
 * string username, string password} (empty strings when the client has no credentials).
 */
public record HelloFrame(int minVersion, int maxVersion, String username, String password) implements Frame {

    @Override
    public byte[] encode() {
        byte[] user = FrameFields.utf8("username", username);
        byte[] pass = FrameFields.utf8("password", password);
        ByteBuffer out = FrameFields.body(FrameType.HELLO, 2 + 2 + 2 + user.length + 2 + pass.length);
        out.putShort((short) minVersion).putShort((short) maxVersion);
        FrameFields.putString(out, user);
        FrameFields.putString(out, pass);
        return out.array();
    }

    static HelloFrame decode(ByteBuffer in, int start) {
        HelloFrame frame = new HelloFrame(FrameFields.u16(in, start, "minVersion"),
                FrameFields.u16(in, start, "maxVersion"),
                FrameFields.string(in, start, "username"), FrameFields.string(in, start, "password"));
        FrameFields.end(in, start, FrameType.HELLO);
        return frame;
    }

    @Override
    public String toString() {
        return "HelloFrame[versions=" + minVersion + ".." + maxVersion + ", username=" + username + ", password=***]";
    }
}
