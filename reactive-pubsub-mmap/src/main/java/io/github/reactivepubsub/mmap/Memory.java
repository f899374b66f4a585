package io.github.reactivepubsub.mmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute, little-endian access to a mapped file, with the memory ordering in each method's name. Writers and
 * readers go through it so that tests can record the exact order of a writer's stores; production uses the
 * single {@link #of(ByteBuffer) ByteBuffer implementation}, which the JIT inlines.
 *
 * <p>Ordered methods need the file offset to be aligned to the access size (true for every word the layouts
 * define, since mappings start at a page boundary); plain methods tolerate any offset.
 */
interface Memory {

    /** @return a view of {@code buffer} (absolute access only; the buffer's own order is not changed) */
    static Memory of(ByteBuffer buffer) {
        return new BufferMemory(buffer);
    }

    /** @return the mapped size in bytes */
    int size();

    int getInt(int offset);

    long getLong(int offset);

    void putInt(int offset, int value);

    void putLong(int offset, long value);

    void putBytes(int offset, byte[] src, int srcOffset, int length);

    void getBytes(int offset, byte[] dst, int dstOffset, int length);

    void putIntRelease(int offset, int value);

    void putLongRelease(int offset, long value);

    int getIntAcquire(int offset);

    long getLongAcquire(int offset);

    long getLongVolatile(int offset);

    /** {@link VarHandle#releaseFence()}: no store before it is reordered with a load or store after it. */
    void releaseFence();

    /** {@link VarHandle#acquireFence()}: no load before it is reordered with a load or store after it. */
    void acquireFence();

    /** The {@link ByteBuffer} implementation. */
    final class BufferMemory implements Memory {
        private static final VarHandle INTS =
                MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle LONGS =
                MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        private final ByteBuffer buffer;

        BufferMemory(ByteBuffer buffer) {
            // duplicate(): our own order setting never leaks to, or depends on, the caller's buffer
            this.buffer = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public int size() {
            return buffer.capacity();
        }

        @Override
        public int getInt(int offset) {
            return buffer.getInt(offset);
        }

        @Override
        public long getLong(int offset) {
            return buffer.getLong(offset);
        }

        @Override
        public void putInt(int offset, int value) {
            buffer.putInt(offset, value);
        }

        @Override
        public void putLong(int offset, long value) {
            buffer.putLong(offset, value);
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            buffer.put(offset, src, srcOffset, length);
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            buffer.get(offset, dst, dstOffset, length);
        }

        @Override
        public void putIntRelease(int offset, int value) {
            INTS.setRelease(buffer, offset, value);
        }

        @Override
        public void putLongRelease(int offset, long value) {
            LONGS.setRelease(buffer, offset, value);
        }

        @Override
        public int getIntAcquire(int offset) {
            return (int) INTS.getAcquire(buffer, offset);
        }

        @Override
        public long getLongAcquire(int offset) {
            return (long) LONGS.getAcquire(buffer, offset);
        }

        @Override
        public long getLongVolatile(int offset) {
            return (long) LONGS.getVolatile(buffer, offset);
        }

        @Override
        public void releaseFence() {
            VarHandle.releaseFence();
        }

        @Override
        public void acquireFence() {
            VarHandle.acquireFence();
        }
    }
}
