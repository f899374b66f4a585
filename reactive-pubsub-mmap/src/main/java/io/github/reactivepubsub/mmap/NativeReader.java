package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.BroadcastDescriptor.*;

import io.github.reactivepubsub.ProtocolException;
import java.nio.file.Path;

/**
 * The broadcast ring's copying receiver ({@code docs/shared-memory.md}, section 2, "Subscriber" and "Loss
 * accounting"): copy, then validate against {@code tailIntent}; a failed check is a lap, counted, followed by a
 * resynchronisation to {@code latest}; sequence numbers make the count of lost messages exact. Not thread-safe: one
 * polling thread.
 *
 * <p>A file that breaks the writer's invariants is corrupt ({@link ProtocolException} naming the file and the
 * fields), never a source of phantom laps or repeated records: a resynchronisation target that is itself a full ring
 * behind {@code tailIntent}, a sequence below 1 or not above the last one delivered, an implausible record header at
 * a valid position. These checks sit on the lap and delivery paths, which compare anyway: the common path pays
 * nothing for them.
 */
final class NativeReader extends FeedReader {

    /** A validated, mapped {@code NATIVE} file. */
    record MappedRing(Path path, Memory memory, int capacity, int maxPayload, long epoch) {}

    private Path path;
    private Memory memory;
    private int capacity;
    private int mask;
    private int maxRecordLength;
    private int trailer;
    private long epoch;
    private long cursor;
    private long lastSequence; // 0: none delivered yet in this epoch (joining is not loss)

    NativeReader(MappedRing ring, StartPosition start) {
        map(ring);
        this.cursor = startCursor(start);
    }

    private void map(MappedRing ring) {
        this.path = ring.path();
        this.memory = ring.memory();
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.maxRecordLength = RECORD_HEADER_LENGTH + ring.maxPayload();
        this.trailer = trailerOffset(capacity);
        this.epoch = ring.epoch();
    }

    @Override
    void remap(Path path) throws java.io.IOException {
        map(FeedFiles.mapNative(path));
        cursor = 0; // a position already overwritten is caught by the ordinary lap rule
        lastSequence = 0;
    }

    private long startCursor(StartPosition start) {
        switch (start) {
            case START:
                return tailIntent() < capacity ? 0 : latest();
            case TAIL:
                return tail();
            default:
                return latest();
        }
    }

    private long tailIntent() {
        return memory.getLongVolatile(trailer + TAIL_INTENT_OFFSET);
    }

    private long tail() {
        return memory.getLongVolatile(trailer + TAIL_OFFSET);
    }

    private long latest() {
        return memory.getLongVolatile(trailer + LATEST_OFFSET);
    }

    /** @return {@code true} while the writer has not begun to overwrite {@code position} */
    private boolean valid(long position) {
        return position + capacity > tailIntent();
    }

    @Override
    int poll(Handler handler, int limit) {
        int work = 0;
        while (work < limit && !handler.stopped() && tail() > cursor) {
            work++;
            if (!valid(cursor)) {
                lapped(handler);
                continue;
            }
            long start = cursor;
            int index = (int) start & mask;
            int length = memory.getInt(HEADER_LENGTH + index + RECORD_LENGTH_OFFSET);
            int type = memory.getInt(HEADER_LENGTH + index + RECORD_TYPE_OFFSET);
            if (type == PADDING_TYPE) {
                if (length != capacity - index) {
                    implausible(handler, start, index, length, type);
                    continue;
                }
                start += capacity - index;
                index = 0;
                length = memory.getInt(HEADER_LENGTH + RECORD_LENGTH_OFFSET);
                type = memory.getInt(HEADER_LENGTH + RECORD_TYPE_OFFSET);
            }
            if (type < MESSAGE_TYPE || length < RECORD_HEADER_LENGTH || length > maxRecordLength
                    || index + align8(length) > capacity) {
                implausible(handler, start, index, length, type);
                continue;
            }
            int at = HEADER_LENGTH + index;
            long sequence = memory.getLong(at + RECORD_SEQUENCE_OFFSET);
            int payloadLength = length - RECORD_HEADER_LENGTH;
            byte[] copy = handler.destination(payloadLength);
            memory.getBytes(at + RECORD_HEADER_LENGTH, copy, 0, payloadLength);
            memory.acquireFence(); // the copy's loads complete before tailIntent is read again
            if (!valid(cursor)) {
                lapped(handler); // the copy may be torn: discard it
                continue;
            }
            cursor = start + align8(length);
            deliver(handler, copy, payloadLength, sequence, start);
        }
        return work;
    }

    private void deliver(Handler handler, byte[] copy, int length, long sequence, long position) {
        long last = lastSequence;
        if (sequence <= last) { // sequences start at 1, so with last = 0 this also refuses 0 and below
            throw corrupt("sequence " + sequence + " at ring position " + position + (last == 0
                    ? " is below 1: sequences start at 1" : " does not follow " + last + ": expected above it"));
        }
        lastSequence = sequence;
        if (last != 0 && sequence > last + 1) {
            long lost = messagesLost + (sequence - last - 1);
            messagesLost = lost;
            handler.onEvent(new FeedEvent.Lost(sequence - last - 1, sequence, lost));
        }
        delivered++;
        handler.onPayload(copy, length, sequence);
    }

    /** Step 4: an implausible header is a lap if the writer has overwritten it, corruption otherwise. */
    private void implausible(Handler handler, long position, int index, int length, int type) {
        if (!valid(cursor)) {
            lapped(handler);
            return;
        }
        throw corrupt("record at ring index " + index + " (position " + position + ") has length " + length
                + " and type " + type + ": expected type >= 1 and length 16.." + maxRecordLength + " within the ring of "
                + capacity + " bytes");
    }

    /**
     * Steps 2 and 5 failed: resynchronise to {@code latest}, or fail if {@code latest} is itself a full ring behind
     * {@code tailIntent}. A writer never leaves them that far apart: when it stores a {@code tailIntent}, {@code latest}
     * is the start of the record before, so {@code tailIntent - latest} is at most that record, a padding record and
     * the new record, under {@code 3 * (16 + C / 8) < C}. Loading {@code tailIntent} first and {@code latest} second
     * (both volatile) only widens the margin, since {@code latest} can only have grown. So {@code latest + C <=
     * tailIntent} is a corrupt trailer (e.g. a file left with a wrong {@code tailIntent}), which would otherwise make
     * every poll count a lap that never happened.
     */
    private void lapped(Handler handler) {
        long intent = tailIntent();
        long resync = latest();
        if (resync + capacity <= intent) {
            throw corrupt("trailer has tailIntent " + intent + " and latest " + resync + ": expected latest + capacity ("
                    + capacity + ") > tailIntent, as a writer always leaves them; a resynchronisation would count a "
                    + "lap on every poll");
        }
        long skipped = Math.max(0, resync - cursor);
        cursor = resync;
        long laps = lappedCount + 1;
        lappedCount = laps;
        bytesSkipped += skipped;
        handler.onEvent(new FeedEvent.Lapped(laps, skipped));
    }

    /** @return the failure for a corrupt file: what was found and expected, with the file and its epoch */
    private ProtocolException corrupt(String found) {
        return new ProtocolException(-1, "NATIVE feed file " + path + " (epoch " + epoch + ") is corrupt: " + found);
    }

    @Override
    boolean drainedAfterClose() {
        return memory.getIntAcquire(trailer + STATUS_OFFSET) == STATUS_CLOSED && tail() <= cursor;
    }

    @Override
    long activeHeartbeatMillis() {
        return memory.getIntAcquire(trailer + STATUS_OFFSET) == STATUS_ACTIVE
                ? memory.getLongAcquire(trailer + HEARTBEAT_OFFSET) : -1;
    }

    @Override
    long epoch() {
        return epoch;
    }

    /** @return the position read next */
    long cursor() {
        return cursor;
    }
}
