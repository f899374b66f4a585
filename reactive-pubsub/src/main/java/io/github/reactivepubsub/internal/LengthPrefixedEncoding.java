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

    /**
     * @param message what to encode
     * @return the length of {@link #encodeLengthPrefixed(Object)}'s frame, prefix included, when it is known
     *     without encoding; -1 (the default) otherwise
     */
    default int lengthPrefixedLength(T message) {
        return -1;
    }

    /**
     * Writes the frame of {@link #encodeLengthPrefixed(Object)} at {@code out}'s position; called only after
     * {@link #lengthPrefixedLength(Object)} returned a length, with that much room. The default copies.
     *
     * @param message what to encode
     * @param out where to write
     */
    default void encodeLengthPrefixed(T message, ByteBuffer out) {
        out.put(encodeLengthPrefixed(message));
    }
}
