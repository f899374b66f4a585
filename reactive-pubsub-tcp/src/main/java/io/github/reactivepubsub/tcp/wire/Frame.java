package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;

/**
 * One frame of the remote hub protocol: an immutable value with a stateless encoding, one class per frame type
 * (decoders are static methods of those classes, dispatched by {@link FrameCodec} on the type byte). The exception:
 * the payload of {@link PublishFrame} and {@link MessageFrame} is a buffer, which its one consumer reads once.
 */
public sealed interface Frame permits HelloFrame, WelcomeFrame, SubscribeFrame, UnsubscribeFrame, CreditFrame,
        PayloadFrame, SubscriptionEndFrame, TopicFrame, EventFrame, HeartbeatFrame, ErrorFrame,
        MalformedFrame, DeclareFrame, UndeclareFrame, DeclarationRefusedFrame, TopicOptionsFrame,
        DroppedFrame {

    /** @return the frame body: its type byte followed by its fields (without the 4-byte length prefix) */
    byte[] encode();

    /**
     * @return the whole frame as the TCP session sends it: the 4-byte big-endian length of the body, then the body
     *     (position 0 to the limit). The frames of the data path write it in one array; the others copy
     *     {@link #encode()} behind the length.
     */
    default ByteBuffer encodeFramed() {
        byte[] body = encode();
        return ByteBuffer.allocate(FrameFields.PREFIX + body.length).putInt(body.length).put(body).flip();
    }

    /**
     * @return the length of {@link #encodeFramed()}'s bytes when the frame knows it without encoding (the frames of
     *     the data path: a transport then writes them straight into its own buffers), or -1
     */
    default int framedLength() {
        return -1;
    }

    /**
     * Writes {@link #encodeFramed()}'s bytes at {@code out}'s position, advancing it past them; the data path's
     * frames write their fields directly, the others copy.
     *
     * @param out a buffer with at least the frame's length remaining
     */
    default void encodeFramed(ByteBuffer out) {
        out.put(encodeFramed());
    }
}
