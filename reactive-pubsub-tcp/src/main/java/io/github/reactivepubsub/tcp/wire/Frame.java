package io.github.reactivepubsub.tcp.wire;

/**
 * One frame of the remote hub protocol: an immutable value with a stateless encoding, one class per frame type
 * (decoders are static methods of those classes, dispatched by {@link FrameCodec} on the type byte).
 */
public sealed interface Frame permits HelloFrame, WelcomeFrame, SubscribeFrame, UnsubscribeFrame, CreditFrame,
        PublishFrame, MessageFrame, SubscriptionEndFrame, TopicFrame, EventFrame, HeartbeatFrame, ErrorFrame, MalformedFrame,
        EncodedFrame, DeclareFrame, UndeclareFrame, DeclarationRefusedFrame, TopicOptionsFrame,
        DroppedFrame {

    /** @return the frame body: its type byte followed by its fields (without the 4-byte length prefix) */
    byte[] encode();
}
