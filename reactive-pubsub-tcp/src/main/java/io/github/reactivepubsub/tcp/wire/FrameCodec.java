package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.internal.LengthPrefixedEncoding;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import java.nio.ByteBuffer;

/**
 * The {@link Codec} of frame bodies: the first byte is the {@link FrameType}'s wire id, the fields follow, big-endian
 * (see {@code docs/wire-protocol.md}). The 4-byte length prefix around each body is the TCP session's framing.
 * Stateless and thread-safe.
 *
 * <p><b>Payloads are views.</b> A decoded {@link PublishFrame} or {@link MessageFrame} keeps a view of the body it
 * was decoded from as its payload, not a copy, and so keeps the read it arrived in from being collected while it is
 * referenced. This relies on what every {@link io.github.reactivepubsub.session.Session} guarantees its codecs: the
 * bytes of a decoded frame are never written again (a session never reuses a buffer it decoded from, and its
 * transport never writes a delivered read again). A caller of {@link #decode} outside a session must give the same
 * guarantee.
 */
public final class FrameCodec implements Codec<Frame>, LengthPrefixedEncoding<Frame> {

    /**
     * The newest protocol version this implementation speaks: 2 adds topic declarations (DECLARE and friends) and
     * the server's drop counts (DROPPED).
     */
    public static final int VERSION = 2;
    /** The oldest protocol version this implementation still speaks (a version 1 peer has no declarations). */
    public static final int MIN_VERSION = 1;

    /** Strict: a malformed body is a {@link ProtocolException} (the client: the session closes with it). */
    public static final FrameCodec STRICT = new FrameCodec(false);
    /** Lenient: a malformed body becomes a {@link MalformedFrame} (the server answers it with an ERROR frame). */
    public static final FrameCodec LENIENT = new FrameCodec(true);

    private final boolean lenient;

    private FrameCodec(boolean lenient) {
        this.lenient = lenient;
    }

    /**
     * The body of the ERROR frame either side sends before closing a connection for a framing error (a frame
     * longer than its maximum): {@code PROTOCOL_ERROR} with the error's message.
     *
     * @param error what was wrong with the peer's framing
     * @return the ERROR frame's body (type byte and fields, without the length prefix)
     */
    public static byte[] framingError(ProtocolException error) {
        return new ErrorFrame(ErrorCode.PROTOCOL_ERROR, String.valueOf(error.getMessage())).encode();
    }

    @Override
    public byte[] encode(Frame frame) {
        return frame.encode();
    }

    /** The whole frame in one array where the frame can ({@link Frame#encodeFramed()}). */
    @Override
    public ByteBuffer encodeLengthPrefixed(Frame frame) {
        return frame.encodeFramed();
    }

    /** The length of a frame of the data path, which a transport then encodes into its own buffer; else -1. */
    @Override
    public int lengthPrefixedLength(Frame frame) {
        return frame.framedLength();
    }

    @Override
    public void encodeLengthPrefixed(Frame frame, ByteBuffer out) {
        frame.encodeFramed(out);
    }

    /**
     * True: every frame decodes its fields relative to the position and keeps at most a {@code slice} of the body
     * (a payload), never the buffer itself.
     */
    @Override
    public boolean decodesInPlace() {
        return true;
    }

    @Override
    public Frame decode(ByteBuffer buffer) {
        try {
            return decodeStrict(buffer);
        } catch (ProtocolException e) {
            if (!lenient) {
                throw e;
            }
            buffer.position(buffer.limit());
            return new MalformedFrame(e);
        }
    }

    private static Frame decodeStrict(ByteBuffer in) {
        int start = in.position();
        if (!in.hasRemaining()) {
            throw new ProtocolException(0, "empty frame; expected a frame type byte");
        }
        FrameType type = FrameType.of(in.get());
        return switch (type) {
            case HELLO -> HelloFrame.decode(in, start);
            case WELCOME -> WelcomeFrame.decode(in, start);
            case SUBSCRIBE -> SubscribeFrame.decode(in, start);
            case UNSUBSCRIBE -> UnsubscribeFrame.decode(in, start);
            case CREDIT -> CreditFrame.decode(in, start);
            case PUBLISH -> PublishFrame.decode(in, start);
            case MESSAGE -> MessageFrame.decode(in, start);
            case SUBSCRIPTION_END -> SubscriptionEndFrame.decode(in, start);
            case TOPIC -> TopicFrame.decode(in, start);
            case EVENT -> EventFrame.decode(in, start);
            case HEARTBEAT -> HeartbeatFrame.decode(in, start);
            case ERROR -> ErrorFrame.decode(in, start);
            case DECLARE -> DeclareFrame.decode(in, start);
            case UNDECLARE -> UndeclareFrame.decode(in, start);
            case DECLARATION_REFUSED -> DeclarationRefusedFrame.decode(in, start);
            case TOPIC_OPTIONS -> TopicOptionsFrame.decode(in, start);
            case DROPPED -> DroppedFrame.decode(in, start);
        };
    }
}
