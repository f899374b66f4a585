package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.RtgDescriptor.FILE_SIZE;
import static io.github.reactivepubsub.mmap.RtgDescriptor.LENGTH_OFFSET;
import static io.github.reactivepubsub.mmap.RtgDescriptor.MAX_PAYLOAD;
import static io.github.reactivepubsub.mmap.RtgDescriptor.PAYLOAD_OFFSET;
import static io.github.reactivepubsub.mmap.RtgDescriptor.SLOT_SIZE;

/**
 * Ready Trader Go's reader protocol ({@code docs/shared-memory.md}, section 1, "Subscriber") with our additions:
 * length validation (a bad length is a counted, skipped corrupt slot), a live start mode, payloads always copied out.
 * Not thread-safe.
 *
 * <p>The layout cannot reveal loss: a reader lapped by the writer skips frames silently (same section, "What the
 * layout cannot tell").
 */
final class RtgReader extends FeedReader {

    private Memory memory;
    private int position;

    RtgReader(Memory memory, StartPosition start) {
        this.memory = memory;
        this.position = start == StartPosition.START ? 0 : liveSlot(memory);
    }

    /**
     * @return the first slot whose flag byte is 0: the writer's next position before and after its first lap;
     *     0 when every flag is set. Racy by nature: a concurrent write may or may not be seen.
     */
    static int liveSlot(Memory memory) {
        for (int slot = 0; slot < FILE_SIZE; slot += SLOT_SIZE) {
            if (!ready(memory, slot)) {
                return slot;
            }
        }
        return 0;
    }

    private static boolean ready(Memory memory, int slot) {
        return (memory.getIntAcquire(slot) & 0xFF) != 0; // byte 0 != 0, as every other reader tests
    }

    @Override
    int poll(Handler handler, int limit) {
        int work = 0;
        while (work < limit && !handler.stopped() && ready(memory, position)) {
            int slot = position;
            long length = Integer.toUnsignedLong(Integer.reverseBytes(memory.getInt(slot + LENGTH_OFFSET)));
            position = RtgDescriptor.nextSlot(slot);
            work++;
            if (length > MAX_PAYLOAD) {
                long count = corruptCount + 1;
                corruptCount = count;
                handler.onEvent(new FeedEvent.CorruptSlot(slot, length, count));
                continue;
            }
            byte[] copy = handler.destination((int) length);
            memory.getBytes(slot + PAYLOAD_OFFSET, copy, 0, (int) length);
            long sequence = delivered + 1;
            delivered = sequence;
            handler.onPayload(copy, (int) length, sequence);
        }
        return work;
    }

    /** @return the slot offset read next */
    int position() {
        return position;
    }

    @Override
    boolean drainedAfterClose() {
        return false; // RTG has no end-of-stream marker
    }

    @Override
    long activeHeartbeatMillis() {
        return -1;
    }

    @Override
    void remap(java.nio.file.Path path) throws java.io.IOException {
        memory = FeedFiles.mapRtg(path);
        position = 0;
    }

    @Override
    long epoch() {
        return 0;
    }
}
