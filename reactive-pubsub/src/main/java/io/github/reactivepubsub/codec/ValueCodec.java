package io.github.reactivepubsub.codec;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes one reference-typed field value (strings, arrays, nested records); {@link FieldType} binds an
 * instance into method handles. Conventions as in {@link Wire}: {@code label} names the field in errors, {@code base}
 * is the position where the enclosing message starts, reads check the remaining bytes, writes assume the caller
 * checked the room. A {@code null} value is written as the type's default.
 *
 * @param <V> the Java type of the value
 */
interface ValueCodec<V> {

    V read(String label, ByteBuffer b, int base);

    void write(String label, ByteBuffer b, @Nullable V value);

    /** Encoded size of a value ({@code null} = the default), for types whose size varies. */
    int size(@Nullable V value);
}
