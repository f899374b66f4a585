package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * One frame of the remote hub protocol: an immutable value with a stateless encoding, one class per frame type
 * (decoders are static methods of those classes, dispatched by {@link FrameCodec} on the type byte). The exception:
 * the payload of {@link PublishFrame} and {@link MessageFrame} is a buffer, which its one consumer reads once.
 */
public sealed interface Frame permits HelloFrame, WelcomeFrame, SubscribeFrame, UnsubscribeFrame, CreditFrame,
        PublishFrame, MessageFrame, SubscriptionEndFrame, TopicFrame, EventFrame, HeartbeatFrame, ErrorFrame,
        MalformedFrame, EncodedFrame, DeclareFrame, UndeclareFrame, DeclarationRefusedFrame, TopicOptionsFrame,
        DroppedFrame {

    /** @return the frame body: its type byte followed by its fields (without the 4-byte length prefix) */
    byte[] encode();

    /**
     * @return the whole frame as the TCP session sends it: the 4-byte big-endian length of the body, then the body
     *     (position 0 to the limit). The frames of the data path (MESSAGE, a publish's {@link EncodedFrame}) write it
     *     in one array; the others copy {@link #encode()} behind the length.
     */
    default ByteBuffer encodeFramed() {
        byte[] body = encode();
        return ByteBuffer.allocate(FrameFields.PREFIX + body.length).putInt(body.length).put(body).flip();
    }
}
