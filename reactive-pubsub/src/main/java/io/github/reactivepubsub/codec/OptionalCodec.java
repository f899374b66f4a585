package io.github.reactivepubsub.codec;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A record with a present bit: one {@code Boolean} byte, then the record's fields only when it is {@code 01}
 * (any other byte means absent, as {@code Boolean} decodes it). {@code null} is absent.
 *
 * @param <R> the record type
 */
final class OptionalCodec<R extends Record> implements ValueCodec<@Nullable R> {

    private final RecordDefinition<R> definition;

    OptionalCodec(RecordDefinition<R> definition) {
        this.definition = definition;
    }

    @Override
    public @Nullable R read(String label, ByteBuffer b, int base) {
        return Wire.readBoolean(label, b, base) ? definition.read(b, base) : null;
    }

    @Override
    public void write(String label, ByteBuffer b, @Nullable R value) {
        Wire.writeBoolean(label, b, value != null);
        if (value != null) {
            definition.write(b, value);
        }
    }

    @Override
    public int size(@Nullable R value) {
        return 1 + (value == null ? 0 : definition.size(value));
    }
}
