package io.github.reactivepubsub.mmap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A {@link Memory} over a direct buffer that records every store and fence, in order, for write-order tests. */
final class RecordingMemory implements Memory {

    final List<String> stores = new ArrayList<>();
    private final Memory delegate;

    RecordingMemory(int size) {
        this.delegate = Memory.of(ByteBuffer.allocateDirect(size));
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public int getInt(int offset) {
        return delegate.getInt(offset);
    }

    @Override
    public long getLong(int offset) {
        return delegate.getLong(offset);
    }

    @Override
    public void putInt(int offset, int value) {
        stores.add("putInt@" + offset + "=" + value);
        delegate.putInt(offset, value);
    }

    @Override
    public void putLong(int offset, long value) {
        stores.add("putLong@" + offset + "=" + value);
        delegate.putLong(offset, value);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        stores.add("putBytes@" + offset + "+" + length);
        delegate.putBytes(offset, src, srcOffset, length);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        delegate.getBytes(offset, dst, dstOffset, length);
    }

    @Override
    public void putIntRelease(int offset, int value) {
        stores.add("putIntRelease@" + offset + "=" + value);
        delegate.putIntRelease(offset, value);
    }

    @Override
    public void putLongRelease(int offset, long value) {
        stores.add("putLongRelease@" + offset + "=" + value);
        delegate.putLongRelease(offset, value);
    }

    @Override
    public int getIntAcquire(int offset) {
        return delegate.getIntAcquire(offset);
    }

    @Override
    public long getLongAcquire(int offset) {
        return delegate.getLongAcquire(offset);
    }

    @Override
    public long getLongVolatile(int offset) {
        return delegate.getLongVolatile(offset);
    }

    @Override
    public void releaseFence() {
        stores.add("releaseFence");
    }

    @Override
    public void acquireFence() {
        delegate.acquireFence();
    }
}
