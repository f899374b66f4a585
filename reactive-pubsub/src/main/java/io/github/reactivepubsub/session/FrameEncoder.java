package io.github.reactivepubsub.session;

import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;

/**
 * Turns an outbound message into one complete frame, ready to write to a {@link DuplexConnection}.
 *
 * <p>Threading: called by whichever thread subscribes to a send; implementations must be thread-safe (stateless
 * ones are).
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface FrameEncoder<T> {

    /**
     * @param message the message to frame
     * @return a new buffer holding exactly the frame between its position and limit
     * @throws IllegalArgumentException when the message cannot be encoded
     */
    ByteBuffer encode(T message);

    /**
     * The exact length of {@code message}'s frame when it is known without encoding it, so that a transport with
     * buffers of its own can encode the frame straight into one ({@link #encode(Object, ByteBuffer)}) instead of
     * into a new buffer.
     *
     * @param message the message to frame
     * @return the frame's length in bytes, or -1 (the default) when only {@link #encode(Object)} can tell
     * @throws IllegalArgumentException when the message cannot be encoded
     */
    default int frameLength(T message) {
        return -1;
    }

    /**
     * Writes {@code message}'s frame at {@code out}'s position, advancing it by exactly
     * {@link #frameLength(Object)} bytes. Called only after {@code frameLength} returned a length, with at least
     * that many bytes remaining. The default writes the buffer of {@link #encode(Object)}.
     *
     * @param message the message to frame
     * @param out the buffer to write into
     * @throws IllegalArgumentException when the message cannot be encoded; bytes after the position may have been
     *     written
     */
    default void encode(T message, ByteBuffer out) {
        out.put(encode(message));
    }

    /**
     * Frames made of a 4-byte big-endian payload length followed by the payload encoded by {@code codec}: the
     * counterpart of {@link FrameDecoder#lengthPrefixed(Codec, int)}.
     *
     * @param codec encodes a payload
     * @param <T> the message type
     * @return a stateless encoder, safe to share
     */
    static <T> FrameEncoder<T> lengthPrefixed(Codec<T> codec) {
        return new LengthPrefixedFraming.Encoder<>(codec);
    }
}
