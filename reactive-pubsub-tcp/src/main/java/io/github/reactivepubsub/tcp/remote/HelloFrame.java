package io.github.reactivepubsub.tcp.remote;

import java.nio.ByteBuffer;

/**
 * HELLO (0x01), client → server, the first frame of a connection: {@code u16 minVersion, u16 maxVersion,
 * string username, string password} (empty strings when the client has no credentials).
 */
record HelloFrame(int minVersion, int maxVersion, String username, String password) implements Frame {

    @Override
    public byte[] encode() {
        byte[] user = Wire.utf8("username", username);
        byte[] pass = Wire.utf8("password", password);
        ByteBuffer out = Wire.body(FrameType.HELLO, 2 + 2 + 2 + user.length + 2 + pass.length);
        out.putShort((short) minVersion).putShort((short) maxVersion);
        Wire.putString(out, user);
        Wire.putString(out, pass);
        return out.array();
    }

    static HelloFrame decode(ByteBuffer in, int start) {
        HelloFrame frame = new HelloFrame(Wire.u16(in, start, "minVersion"), Wire.u16(in, start, "maxVersion"),
                Wire.string(in, start, "username"), Wire.string(in, start, "password"));
        Wire.end(in, start, FrameType.HELLO);
        return frame;
    }

    @Override
    public String toString() {
        return "HelloFrame[versions=" + minVersion + ".." + maxVersion + ", username=" + username + ", password=***]";
    }
}
