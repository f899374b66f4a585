package io.github.reactivepubsub.session;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Tries to decode one frame, and the message it carries, from the bytes accumulated so far.
 *
 * <p>A session keeps the bytes of an incomplete frame and calls {@link #decode} again once more bytes arrived, so
 * a stream split or merged arbitrarily by the transport decodes to the same messages. Every complete frame of a
 * read is decoded before the next read is requested.
 *
 * <p>Threading: a session calls its decoder from one thread at a time; implementations may keep state between
 * calls only if they are used by a single session. Backpressure: none here; the session asks for more bytes only
 * when its consumers have demand.
 *
 * <pre>{@code
 * FrameDecoder<byte[]> frames = FrameDecoder.lengthPrefixed(bytesCodec, 65_535);
 * }</pre>
 *
 * @param <T> the decoded message type
 */
@FunctionalInterface
public interface FrameDecoder<T> {

    /**
     * Decodes the frame starting at {@code buffer.position()}, if it is complete.
     *
     * @param buffer the accumulated bytes between its position and limit; the buffer object must not be retained
     *     after the call, but the session never writes the bytes of a decoded frame again, so a message may keep a
     *     view of them (a slice), which keeps the read they arrived in from being collected
     * @return the message, with the buffer's position advanced past its frame; or {@code null} when the frame is
     *     incomplete, with the position left unchanged
     * @throws ProtocolException when the bytes can never form a valid frame (the session then closes with it)
     */
    @Nullable T decode(ByteBuffer buffer);

    /**
     * Frames made of a 4-byte big-endian payload length followed by the payload, decoded by {@code codec}.
     *
     * @param codec decodes a payload; it sees exactly the payload's bytes, which the session never writes again:
     *     it may keep a view of them (at the cost of keeping their read alive) or copy them
     * @param maxFrameLength the largest payload length accepted, in bytes; a larger announced length is a
     *     {@link ProtocolException} as soon as the length field arrived
     * @param <T> the message type
     * @return a stateless decoder, safe to share between sessions
     * @throws IllegalArgumentException when {@code maxFrameLength} is negative
     */
    static <T> FrameDecoder<T> lengthPrefixed(Codec<T> codec, int maxFrameLength) {
        return new LengthPrefixedFraming.Decoder<>(codec, maxFrameLength);
    }
}
