package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.BufferOverflowException;
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
     * Encodes a value into a buffer at its position, advancing the position past the bytes written. The default
     * implementation copies the array of {@link #encode(Object)}; codecs that can write directly override it so
     * that encoding into a reused buffer allocates nothing.
     *
     * @param value the value to encode
     * @param out the buffer to write into; its byte order is ignored (each codec defines its own byte order)
     * @throws IllegalArgumentException when the value cannot be represented (names the field, value and range);
     *     the buffer's position is then unchanged, bytes after it may have been overwritten
     * @throws BufferOverflowException when {@code out} has fewer bytes remaining than the encoding needs; nothing
     *     is written then
     */
    default void encode(T value, ByteBuffer out) {
        out.put(encode(value));
    }

    /**
     * Decodes one value from the buffer's remaining bytes, advancing its position past what was read.
     *
     * @param buffer the bytes to decode; offsets in errors are relative to its position on entry
     * @return the decoded value
     * @throws ProtocolException when the bytes are malformed (with the offset and what was expected)
     */
    T decode(ByteBuffer buffer);
}
