package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.BroadcastDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for {@link MmapReader} over corrupted feed files, one per layout (Jazzer; see docs/reliability.md).
 * The input becomes the file; a reader is opened on it and polls a bounded number of times. Properties: the only
 * failures are the documented {@link FeedFileException} (at open) and {@link ProtocolException} (at poll); no payload
 * is longer than the layout allows; every poll returns (a poll handles at most its limit); the polls allocate in
 * proportion to the file, not to the lengths it claims; and a {@code NATIVE} file that nobody writes either fails or
 * goes quiet within a bounded number of polls: it never yields laps or records forever (an {@code RTG} file can: the
 * layout cannot tell a static ring whose every slot is flagged from a live one, so its readers cycle through it, as
 * Ready Trader Go's do).
 *
 * <p>Each layout's file is mapped once and every input is written into that mapping, which the reader then reads as
 * it reads a publisher's file ({@link FeedFiles#validate} for the header, then the layout's reader behind an
 * {@link MmapReader}). A mapping per input, as {@link MmapReader#open} makes, stays until a garbage collection unmaps
 * it (the JDK cannot unmap on demand): thousands pile up and fuzzing slows to about 70 inputs a second. Opening
 * itself is fuzzed where it decides without mapping: a short {@code RTG} file must be refused.
 *
 * <p>Every build replays the committed corpus in {@code MmapReaderFuzzTestInputs/<method>/} (test resources).
 */
class MmapReaderFuzzTest {

    /**
     * Polls of one file. A static {@code NATIVE} ring must go quiet well within them: a lap resynchronises to a valid
     * position (or the file is corrupt), from which the cursor only grows, and each ring index is delivered at most
     * once (sequences must increase): a few laps and at most C / 16 = 256 records for C = 4,096, in about 9 polls of 32.
     */
    private static final int POLLS = 64;
    private static final int LIMIT = 32;
    private static final int CAPACITY = MIN_CAPACITY;
    private static final Path DIR;
    private static final Feed NATIVE_FEED;
    private static final Feed RTG_FEED;

    static {
        try {
            DIR = Files.createTempDirectory("mmap-fuzz");
            NATIVE_FEED = Feed.create(DIR.resolve("native.dat"), fileLength(CAPACITY));
            RTG_FEED = Feed.create(DIR.resolve("rtg.dat"), RtgDescriptor.FILE_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(DIR);
    }

    /** A file of a fixed length, mapped read-write once; {@link #load} puts an input's bytes in it. */
    private record Feed(Path path, MappedByteBuffer mapping) {

        static Feed create(Path path, int length) throws IOException {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                return new Feed(path, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
            }
        }

        /** @return the mapping holding {@code bytes}, cut or zero-padded to the file's length */
        Memory load(byte[] bytes) {
            int length = Math.min(bytes.length, mapping.capacity());
            mapping.put(0, bytes, 0, length);
            for (int i = length; i < mapping.capacity(); i++) {
                mapping.put(i, (byte) 0);
            }
            return Memory.of(mapping);
        }
    }

    /**
     * A {@code NATIVE} file: mostly a valid header (so that the ring is reached) with the ring and the trailer's
     * counters from the input; sometimes header fields from the input too.
     */
    @FuzzTest
    void nativeFile(FuzzedDataProvider data) {
        ByteBuffer file = ByteBuffer.allocate(fileLength(CAPACITY)).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(MAGIC_OFFSET, MAGIC)
                .putInt(VERSION_OFFSET, LAYOUT_VERSION)
                .putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH)
                .putInt(CAPACITY_OFFSET, CAPACITY)
                .putInt(MAX_MESSAGE_LENGTH_OFFSET, maxPayloadLength(CAPACITY))
                .putInt(RECORD_HEADER_LENGTH_OFFSET, RECORD_HEADER_LENGTH)
                .putInt(TRAILER_LENGTH_OFFSET, TRAILER_LENGTH)
                .putLong(EPOCH_OFFSET, 1);
        int headerEdits = data.consumeInt(0, 3) == 0 ? data.consumeInt(1, 4) : 0;
        for (int i = 0; i < headerEdits; i++) {
            file.putInt(data.consumeInt(0, HEADER_LENGTH / 4 - 1) * 4, data.consumeInt());
        }
        int trailer = trailerOffset(CAPACITY);
        int status = trailer + STATUS_OFFSET;
        file.putInt(status, data.consumeBoolean() ? STATUS_ACTIVE : STATUS_CLOSED);
        // positions mostly within a few laps of the ring, sometimes anything
        for (int slot : new int[] {TAIL_INTENT_OFFSET, TAIL_OFFSET, LATEST_OFFSET}) {
            file.putLong(trailer + slot, data.consumeBoolean() ? data.consumeLong(0, 4L * CAPACITY) : data.consumeLong());
        }
        ReaderOptions options = ReaderOptions.of(Layout.NATIVE).start(data.pickValue(StartPosition.values()));
        byte[] ring = data.consumeRemainingAsBytes();
        file.put(HEADER_LENGTH, ring, 0, Math.min(ring.length, CAPACITY));
        Memory memory = NATIVE_FEED.load(file.array());
        readAll(() -> new MmapReader(NATIVE_FEED.path(), options, new NativeReader(
                FeedFiles.validate(NATIVE_FEED.path(), memory, fileLength(CAPACITY)), options.start())),
                fileLength(CAPACITY), maxPayloadLength(CAPACITY), true);
    }

    /**
     * An {@code RTG} file: the input's bytes, repeated or zero-padded to the layout's 8,192 bytes (repeated, the
     * flags of every slot can be set and the reader wraps round the ring), or left short, which opening must refuse.
     */
    @FuzzTest
    void rtgFile(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 15);
        ReaderOptions options = ReaderOptions.of(Layout.RTG)
                .start(data.consumeBoolean() ? StartPosition.START : StartPosition.LATEST);
        byte[] bytes = data.consumeRemainingAsBytes();
        if (shape == 0 && bytes.length < RtgDescriptor.FILE_SIZE) {
            Path shortFile = write(DIR.resolve("rtg-short.dat"), bytes);
            assertThatThrownBy(() -> MmapReader.open(shortFile, options.openTimeout(Duration.ZERO)))
                    .isInstanceOf(FeedFileException.class)
                    .hasMessageContaining("RTG feed file is " + bytes.length + " bytes: expected at least 8192");
            return;
        }
        byte[] file = shape >= 8 && bytes.length > 0 ? repeat(bytes, RtgDescriptor.FILE_SIZE) : bytes;
        Memory memory = RTG_FEED.load(file);
        readAll(() -> new MmapReader(RTG_FEED.path(), options, new RtgReader(memory, options.start())),
                RtgDescriptor.FILE_SIZE, RtgDescriptor.MAX_PAYLOAD, false);
    }

    private static byte[] repeat(byte[] bytes, int length) {
        byte[] out = new byte[length];
        for (int at = 0; at < length; at += bytes.length) {
            System.arraycopy(bytes, 0, out, at, Math.min(bytes.length, length - at));
        }
        return out;
    }

    private static Path write(Path path, byte[] bytes) {
        try {
            return Files.write(path, bytes); // never mapped: opening refuses a short file before mapping it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the file twice, each time with a new reader: the first run loads (and, while fuzzing, instruments) the
     * classes its path needs on this thread; the second, over the same bytes, is measured.
     *
     * @param open opens a reader, or throws the documented {@link FeedFileException}
     * @param fileLength the file's length: what the polls may allocate is proportional to it
     * @param maxPayload the layout's largest payload
     * @param settles the reader must go quiet (a poll finding nothing) or fail within the polls
     */
    private static void readAll(Supplier<MmapReader> open, int fileLength, int maxPayload, boolean settles) {
        read(open, maxPayload, settles);
        Allocation.checkBounded("polling", read(open, maxPayload, settles), fileLength);
    }

    /**
     * Opens a reader and polls it {@link #POLLS} times at most, checking every poll.
     *
     * @return the bytes the polls allocated on this thread
     */
    private static long read(Supplier<MmapReader> open, int maxPayload, boolean settles) {
        MmapReader reader;
        try {
            reader = open.get();
        } catch (FeedFileException expected) {
            return 0; // documented: a file that is short, uninitialised or inconsistent
        }
        MmapReader.DatagramHandler check = (payload, sequence) -> assertThat(payload.remaining())
                .as("payload length").isBetween(0, maxPayload);
        long before = Allocation.allocated();
        try (reader) {
            int polls = 0;
            int work = LIMIT;
            while (work > 0 && polls < POLLS) {
                work = reader.poll(check, LIMIT);
                polls++;
                assertThat(work).as("records handled by one poll").isBetween(0, LIMIT);
            }
            assertThat(work == 0 || !settles).as("a static NATIVE file still yields records or laps after %d polls "
                    + "of %d (laps %d, delivered %d)", POLLS, LIMIT, reader.lappedCount(), reader.delivered()).isTrue();
        } catch (ProtocolException expected) {
            // documented: a corrupt record
        }
        return Allocation.allocated() - before;
    }
}
