package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * WELCOME (0x02), server → client, the answer to an accepted HELLO: {@code u16 version, u32 heartbeatMillis,
 * u32 maxFrameLength, u32 maxSubscriptions, u16 maxPatternLength, u32 snapshotTopics}. Exactly
 * {@code snapshotTopics} TOPIC frames follow.
 */
public record WelcomeFrame(int version, int heartbeatMillis, int maxFrameLength, int maxSubscriptions,
        int maxPatternLength, int snapshotTopics) implements Frame {

    @Override
    public byte[] encode() {
        ByteBuffer out = FrameFields.body(FrameType.WELCOME, 2 + 4 + 4 + 4 + 2 + 4);
        out.putShort((short) version).putInt(heartbeatMillis).putInt(maxFrameLength).putInt(maxSubscriptions)
                .putShort((short) maxPatternLength).putInt(snapshotTopics);
        return out.array();
    }

    static WelcomeFrame decode(ByteBuffer in, int start) {
        WelcomeFrame frame = new WelcomeFrame(FrameFields.u16(in, start, "version"),
                FrameFields.u31(in, start, "heartbeatMillis"),
                FrameFields.u31(in, start, "maxFrameLength"), FrameFields.u31(in, start, "maxSubscriptions"),
                FrameFields.u16(in, start, "maxPatternLength"), FrameFields.u31(in, start, "snapshotTopics"));
        FrameFields.end(in, start, FrameType.WELCOME);
        return frame;
    }
}
