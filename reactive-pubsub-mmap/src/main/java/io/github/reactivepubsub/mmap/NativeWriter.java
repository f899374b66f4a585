package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.BroadcastDescriptor.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The broadcast ring's transmitter ({@code docs/shared-memory.md}, section 2, "Publisher (one per file)"). Not
 * thread-safe: one writer thread per file at a time, {@link MmapPublisher} serializes calls. The writer keeps its own
 * plain copy of {@code tail}.
 */
final class NativeWriter implements FeedWriter {

    private static final int PAGE = 4096;

    private final Memory memory;
    private final int capacity;
    private final int mask;
    private final int maxPayload;
    private final int trailer;
    private final long epoch;
    private long tail;
    private long sequence;

    NativeWriter(Memory memory, int capacity, long epoch) {
        this.memory = memory;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxPayload = BroadcastDescriptor.maxPayloadLength(capacity);
        this.trailer = trailerOffset(capacity);
        this.epoch = epoch;
    }

    /**
     * Creates a new file ({@code docs/shared-memory.md}, section 2, "Creation and opening"): a temporary file beside
     * the target, sized, every page touched, header written with the magic last (release), counters zero, status
     * active, heartbeat set; then atomically moved onto the name, replacing an older file that readers may still have
     * mapped (they detect the new epoch).
     */
    static NativeWriter create(Path path, int capacity) throws IOException {
        checkCapacity(capacity);
        Path target = path.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            NativeWriter writer;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                writer = new NativeWriter(
                        Memory.of(channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength(capacity))),
                        capacity, newEpoch());
                writer.initialise();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return writer;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long newEpoch() {
        long epoch;
        do {
            epoch = ThreadLocalRandom.current().nextLong();
        } while (epoch == 0);
        return epoch;
    }

    /** Writes the header and trailer of a fresh buffer; the magic goes last, with release. */
    void initialise() {
        for (int page = 0; page < memory.size(); page += PAGE) {
            memory.putInt(page, 0);
        }
        memory.putInt(VERSION_OFFSET, LAYOUT_VERSION);
        memory.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        memory.putInt(CAPACITY_OFFSET, capacity);
        memory.putInt(MAX_MESSAGE_LENGTH_OFFSET, maxPayload);
        memory.putInt(RECORD_HEADER_LENGTH_OFFSET, RECORD_HEADER_LENGTH);
        memory.putInt(TRAILER_LENGTH_OFFSET, TRAILER_LENGTH);
        memory.putLong(EPOCH_OFFSET, epoch);
        memory.putLong(CREATION_TIME_OFFSET, System.currentTimeMillis());
        memory.putLong(PID_OFFSET, ProcessHandle.current().pid());
        memory.putLongRelease(trailer + TAIL_INTENT_OFFSET, 0L);
        memory.putLongRelease(trailer + TAIL_OFFSET, 0L);
        memory.putLongRelease(trailer + LATEST_OFFSET, 0L);
        heartbeat();
        memory.putIntRelease(trailer + STATUS_OFFSET, STATUS_ACTIVE);
        memory.putLongRelease(MAGIC_OFFSET, MAGIC);
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        int recordLength = RECORD_HEADER_LENGTH + length;
        int aligned = align8(recordLength);
        long recordStart = tail;
        int index = (int) recordStart & mask;
        int toEnd = capacity - index;
        if (toEnd < aligned) {
            // 2a. intent covers padding + record; the fence keeps the stores below after it
            memory.putLongRelease(trailer + TAIL_INTENT_OFFSET, recordStart + toEnd + aligned);
            memory.releaseFence();
            int at = HEADER_LENGTH + index;
            memory.putInt(at + RECORD_LENGTH_OFFSET, toEnd);
            memory.putInt(at + RECORD_TYPE_OFFSET, PADDING_TYPE);
            recordStart += toEnd;
            index = 0;
        } else {
            // 2b. intent, then the fence, before overwriting old records
            memory.putLongRelease(trailer + TAIL_INTENT_OFFSET, recordStart + aligned);
            memory.releaseFence();
        }
        int at = HEADER_LENGTH + index;                               // 3. plain stores
        memory.putInt(at + RECORD_LENGTH_OFFSET, recordLength);
        memory.putInt(at + RECORD_TYPE_OFFSET, MESSAGE_TYPE);
        memory.putLong(at + RECORD_SEQUENCE_OFFSET, ++sequence);
        memory.putBytes(at + RECORD_HEADER_LENGTH, src, offset, length);
        memory.putLongRelease(trailer + LATEST_OFFSET, recordStart); // 4. latest, then tail (release)
        tail = recordStart + aligned;
        memory.putLongRelease(trailer + TAIL_OFFSET, tail);
    }

    @Override
    public int maxPayloadLength() {
        return maxPayload;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void heartbeat() {
        memory.putLongRelease(trailer + HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    @Override
    public void markClosed() {
        memory.putIntRelease(trailer + STATUS_OFFSET, STATUS_CLOSED);
    }
}
