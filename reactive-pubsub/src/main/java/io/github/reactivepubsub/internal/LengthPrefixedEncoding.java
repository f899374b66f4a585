package io.github.reactivepubsub.internal;

import java.nio.ByteBuffer;

/**
 * A {@link io.github.reactivepubsub.codec.Codec} that can write a message straight into a length-prefixed frame (a
 * 4-byte big-endian length of the encoded message, then the encoded message), so that the session's length-prefixed
 * framing need not copy the encoded bytes into a second array behind the prefix. The framing uses it when the codec
 * implements it, and the plain {@code encode} otherwise.
 *
 * <p>Internal: public only so that the library's modules share it; not API.
 *
 * @param <T> the message type
 */
public interface LengthPrefixedEncoding<T> {

    /**
     * @param message what to encode
     * @return the frame, from position 0 to its limit: the length, then exactly {@code codec.encode(message)}'s
     *     bytes
     */
    ByteBuffer encodeLengthPrefixed(T message);
}
