package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The buffer discipline shared by field types, record and message definitions and registries: decoding restores
 * the position when it fails, encoding checks the room first and restores the position when a value is rejected.
 * Subclasses supply the size and the raw read and write.
 *
 * @param <T> the value type
 */
abstract class BinaryCodec<T extends @Nullable Object> {

    BinaryCodec() {
    }

    /**
     * Reads one value at the position, advancing it. {@code base} is the position where the enclosing message
     * starts; error offsets are relative to it.
     */
    abstract T read(ByteBuffer b, int base);

    /** Writes a value at the position, advancing it; the caller made sure there is room for {@link #size}. */
    abstract void write(ByteBuffer b, T value);

    /**
     * Returns the number of bytes {@code value} encodes to.
     *
     * @param value the value to measure
     * @return the encoded size in bytes
     * @throws IllegalArgumentException when the value cannot be encoded (wrong type for a registry)
     */
    public abstract int size(T value);

    /**
     * Decodes one value from the buffer's remaining bytes, advancing its position past what was read. Bytes after
     * the value are left in the buffer. The buffer's byte order is ignored.
     *
     * @param buffer the bytes to decode; offsets in errors are relative to its position on entry
     * @return the decoded value
     * @throws ProtocolException when the bytes are malformed (with the offset and what was expected); the
     *     buffer's position is then unchanged
     */
    public final T decode(ByteBuffer buffer) {
        int base = buffer.position();
        try {
            return read(buffer, base);
        } catch (ProtocolException e) {
            buffer.position(base);
            throw e;
        }
    }

    /**
     * Encodes a value into a new array of exactly {@link #size} bytes.
     *
     * @param value the value to encode
     * @return the encoded bytes
     * @throws IllegalArgumentException when the value cannot be represented (names the field, value and range)
     */
    public final byte[] encode(T value) {
        byte[] bytes = new byte[size(value)];
        write(ByteBuffer.wrap(bytes), value);
        return bytes;
    }

    /**
     * Encodes a value into a buffer at its position, advancing the position; allocates nothing for fixed-size
     * values. The buffer's byte order is ignored.
     *
     * @param value the value to encode
     * @param out the buffer to write into
     * @throws IllegalArgumentException when the value cannot be represented (names the field, value and range);
     *     the position is then unchanged, bytes after it may have been overwritten
     * @throws BufferOverflowException when {@code out} has fewer bytes remaining than {@link #size}; nothing is
     *     written then
     */
    public final void encode(T value, ByteBuffer out) {
        int size = size(value);
        if (out.remaining() < size) {
            throw new BufferOverflowException();
        }
        int start = out.position();
        try {
            write(out, value);
        } catch (RuntimeException e) {
            out.position(start);
            throw e;
        }
    }

    /** Rethrows what a method handle threw; the handles used here throw no checked exceptions. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a codec method handle", t);
    }
}
