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

    /**
     * Whether the framing may hand {@code decode} the received buffer itself, its position and limit set around one
     * frame's body, instead of a view of that body (one object fewer per frame). True only for a codec whose
     * {@code decode} reads between the position and the limit, relative to the position (never from index 0), and
     * keeps no reference to the buffer it is given: views of it ({@code slice}, {@code duplicate}) it may keep. The
     * framing restores the limit afterwards, whatever {@code decode} did, and passes a view as before when the
     * buffer is not big-endian.
     *
     * @return false (the default): the framing passes a view of each body
     */
    default boolean decodesInPlace() {
        return false;
    }
}
