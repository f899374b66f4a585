package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code Array(item)}: an item count of an integer field type, then the items. Decoding checks the count against
 * the bytes left (each item takes at least {@code item.minSize} bytes) before allocating the list, so a hostile
 * count cannot make it allocate more than the input warrants. Decoded lists are unmodifiable.
 */
final class ArrayCodec implements ValueCodec<List<?>> {

    /** Largest count a Java array can hold on common VMs. */
    private static final long MAX_ITEMS = Integer.MAX_VALUE - 8;

    private final FieldType<?> item;
    private final FieldType<?> count;
    private final long maxCount;
    /** {@code (String label, ByteBuffer, int base) -> long}. */
    private final MethodHandle countReader;
    /** {@code (String label, ByteBuffer, int) -> void}, the count narrowed to the count type after the check. */
    private final MethodHandle countWriter;

    ArrayCodec(FieldType<?> item, FieldType<?> count) {
        this.item = item;
        this.count = count;
        this.maxCount = Math.min(count.maxCount, MAX_ITEMS);
        this.countReader = count.reader.asType(MethodType.methodType(long.class, String.class, ByteBuffer.class,
                int.class));
        this.countWriter = MethodHandles.explicitCastArguments(count.writer, MethodType.methodType(void.class,
                String.class, ByteBuffer.class, int.class));
    }

    @Override
    public List<?> read(String label, ByteBuffer b, int base) {
        int countAt = b.position();
        long n;
        try {
            n = (long) countReader.invokeExact(label, b, base);
        } catch (Throwable t) {
            throw BinaryCodec.rethrow(t);
        }
        if (n < 0 || n > maxCount) {
            throw new ProtocolException(countAt - base,
                    label + ": item count " + n + " out of range 0.." + maxCount);
        }
        if (n > b.remaining() / item.minSize) {
            throw new ProtocolException(countAt - base, label + ": count claims " + n + " items of at least "
                    + item.minSize + " bytes each, only " + b.remaining() + " bytes follow");
        }
        Object[] items = new Object[(int) n];
        for (int i = 0; i < items.length; i++) {
            items[i] = item.readObject(label, b, base);
        }
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    @Override
    public void write(String label, ByteBuffer b, @Nullable List<?> value) {
        List<?> items = value == null ? List.of() : value;
        if (items.size() > maxCount) {
            throw new IllegalArgumentException(label + ": " + items.size() + " items, more than the " + count
                    + " count allows (0.." + maxCount + ")");
        }
        try {
            countWriter.invokeExact(label, b, items.size());
        } catch (Throwable t) {
            throw BinaryCodec.rethrow(t);
        }
        for (Object each : items) {
            item.writeObject(label, b, each);
        }
    }

    @Override
    public int size(@Nullable List<?> value) {
        if (value == null) {
            return count.fixedSize;
        }
        if (item.fixedSize >= 0) {
            return Math.addExact(count.fixedSize, Math.multiplyExact(value.size(), item.fixedSize));
        }
        int size = count.fixedSize;
        for (Object each : value) {
            size = Math.addExact(size, item.sizeOf(each));
        }
        return size;
    }
}
