package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * TOPIC (0x09), server → client, in the snapshot after WELCOME: {@code u32 subscriberCount, string topic}: an active
 * topic of the server's hub and how many subscribers it has.
 */
public record TopicFrame(int subscriberCount, Key topic) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("topic", topic.toString());
        ByteBuffer out = FrameFields.body(FrameType.TOPIC, 4 + 2 + text.length);
        out.putInt(subscriberCount);
        FrameFields.putString(out, text);
        return out.array();
    }

    static TopicFrame decode(ByteBuffer in, int start) {
        TopicFrame frame = new TopicFrame(FrameFields.u31(in, start, "subscriberCount"),
                FrameFields.key(in, start, "topic", false));
        FrameFields.end(in, start, FrameType.TOPIC);
        return frame;
    }
}
