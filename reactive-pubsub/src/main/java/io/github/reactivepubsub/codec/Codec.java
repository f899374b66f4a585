package io.github.reactivepubsub.codec;

import java.nio.ByteBuffer;

/**
 * Turns a payload into bytes and back, wherever a payload leaves the JVM (shared memory, TCP).
 *
 * <p>Implementations are stateless and thread-safe unless they say otherwise.
 *
 * @param <T> the payload type
 */
public interface Codec<T> {

    /**
     * Encodes a value.
     *
     * @param value the value to encode
     * @return a new array holding exactly the encoded bytes
     * @throws IllegalArgumentException when the value cannot be represented (names the field, value and range)
     */
    byte[] encode(T value);

    /**
     * Decodes one value from the buffer's remaining bytes, advancing its position past what was read.
     *
     * @param buffer the bytes to decode; offsets in errors are relative to its position on entry
     * @return the decoded value
     * @throws ProtocolException when the bytes are malformed (with the offset and what was expected)
     */
    T decode(ByteBuffer buffer);
}
