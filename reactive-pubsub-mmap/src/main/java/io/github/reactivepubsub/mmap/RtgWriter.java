package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.RtgDescriptor.FILE_SIZE;
import static io.github.reactivepubsub.mmap.RtgDescriptor.LENGTH_OFFSET;
import static io.github.reactivepubsub.mmap.RtgDescriptor.MAX_PAYLOAD;
import static io.github.reactivepubsub.mmap.RtgDescriptor.PAYLOAD_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ready Trader Go's writer protocol ({@code docs/shared-memory.md}, section 1, "Publisher"). Not thread-safe: one
 * writer per file; the position is kept in process memory only and starts at slot 0 on every open.
 */
final class RtgWriter implements FeedWriter {

    private final Memory memory;
    private int position;

    RtgWriter(Memory memory) {
        this.memory = memory;
    }

    /**
     * Opens or creates the file without truncating it, writes 8192 zero bytes at offset 0 through the channel
     * (bytes beyond are kept) and maps the first 8192 bytes read-write. The inode is reused, so readers that
     * mapped it keep seeing new data.
     */
    static RtgWriter open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(FILE_SIZE);
            while (zeros.hasRemaining()) {
                channel.write(zeros, zeros.position());
            }
            return new RtgWriter(Memory.of(channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE)));
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        int slot = position;
        memory.putInt(slot + LENGTH_OFFSET, Integer.reverseBytes(length)); // 1. length, u32 BE (plain)
        memory.putBytes(slot + PAYLOAD_OFFSET, src, offset, length);       // 2. payload (plain)
        int next = RtgDescriptor.nextSlot(slot);
        memory.putIntRelease(next, 0);                                      // 3. stop marker at the next slot
        memory.putIntRelease(slot, 1);                                      // 4. ready: orders 1-3 before it
        position = next;
    }

    @Override
    public int maxPayloadLength() {
        return MAX_PAYLOAD;
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public void heartbeat() {
        // RTG files carry no liveness information.
    }

    @Override
    public void markClosed() {
        // RTG files carry no end-of-stream marker: readers see a quiet publisher.
    }
}
