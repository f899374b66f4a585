package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;

/**
 * TOPIC_OPTIONS (0x10), server → client, version 2: {@code u32 replay, string topic}: the options of an active topic
 * of the server's hub that has other than the default ones, sent right before the topic's TOPIC frame in the snapshot
 * and before each EVENT of a subscriber joining it. A topic without one has the default options (no replay).
 */
public record TopicOptionsFrame(int replay, Key topic) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("topic", topic.toString());
        ByteBuffer out = FrameFields.body(FrameType.TOPIC_OPTIONS, 4 + 2 + text.length);
        out.putInt(replay);
        FrameFields.putString(out, text);
        return out.array();
    }

    static TopicOptionsFrame decode(ByteBuffer in, int start) {
        TopicOptionsFrame frame = new TopicOptionsFrame(FrameFields.u31(in, start, "replay"),
                FrameFields.key(in, start, "topic", false));
        FrameFields.end(in, start, FrameType.TOPIC_OPTIONS);
        return frame;
    }
}
