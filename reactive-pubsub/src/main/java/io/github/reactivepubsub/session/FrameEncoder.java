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
