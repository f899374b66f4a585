package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * EVENT (0x0A), server → client: {@code u8 kind, u32 subscriberCount, string topic}; kind 1 = a subscriber joined
 * the topic ({@link HubEvent.Added}), 2 = one left ({@link HubEvent.Removed}); the count is the topic's after the
 * change.
 */
public record EventFrame(HubEvent event) implements Frame {

    @Override
    public byte[] encode() {
        byte[] text = FrameFields.utf8("topic", event.key().toString());
        ByteBuffer out = FrameFields.body(FrameType.EVENT, 1 + 4 + 2 + text.length);
        out.put((byte) (event instanceof HubEvent.Added ? 1 : 2)).putInt(event.subscriberCount());
        FrameFields.putString(out, text);
        return out.array();
    }

    static EventFrame decode(ByteBuffer in, int start) {
        int at = in.position() - start;
        int kind = FrameFields.u8(in, start, "kind");
        if (kind != 1 && kind != 2) {
            throw new ProtocolException(at, "event kind " + kind + " is unknown; expected 1 (added) or 2 (removed)");
        }
        int count = FrameFields.u31(in, start, "subscriberCount");
        var topic = FrameFields.key(in, start, "topic", false);
        FrameFields.end(in, start, FrameType.EVENT);
        return new EventFrame(kind == 1 ? new HubEvent.Added(topic, count) : new HubEvent.Removed(topic, count));
    }
}
