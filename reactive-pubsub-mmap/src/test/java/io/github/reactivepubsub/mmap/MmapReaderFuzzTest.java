package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.BroadcastDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for {@link MmapReader} over corrupted feed files, one per layout (Jazzer; see docs/reliability.md).
 * The input becomes the file; the reader opens it and polls a bounded number of times. Properties: the only failures
 * are the documented {@link FeedFileException} (at open) and {@link ProtocolException} (at poll); no payload is longer
 * than the layout allows; every poll returns (a poll handles at most its limit).
 *
 * <p>Every build replays the committed corpus in {@code MmapReaderFuzzTestInputs/<method>/} (test resources).
 */
class MmapReaderFuzzTest {

    private static final int POLLS = 64;
    private static final int LIMIT = 32;
    private static final int CAPACITY = MIN_CAPACITY;
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("mmap-fuzz");
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
        StartPosition start = data.pickValue(StartPosition.values());
        byte[] ring = data.consumeRemainingAsBytes();
        file.put(HEADER_LENGTH, ring, 0, Math.min(ring.length, CAPACITY));
        readAll(write("native.dat", file.array()), ReaderOptions.of(Layout.NATIVE).start(start),
                maxPayloadLength(CAPACITY));
    }

    /** An {@code RTG} file: the input's bytes, zero-padded to the layout's 8,192 bytes (or left short). */
    @FuzzTest
    void rtgFile(FuzzedDataProvider data) {
        boolean pad = data.consumeInt(0, 15) != 0;
        StartPosition start = data.consumeBoolean() ? StartPosition.START : StartPosition.LATEST;
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] file = pad ? java.util.Arrays.copyOf(bytes, Math.max(bytes.length, RtgDescriptor.FILE_SIZE)) : bytes;
        readAll(write("rtg.dat", file), ReaderOptions.of(Layout.RTG).start(start), RtgDescriptor.MAX_PAYLOAD);
    }

    private static Path write(String name, byte[] bytes) {
        Path path = DIR.resolve(name);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    private static void readAll(Path path, ReaderOptions options, int maxPayload) {
        MmapReader reader;
        try {
            reader = MmapReader.open(path, options.openTimeout(Duration.ZERO));
        } catch (FeedFileException expected) {
            return; // documented: a file that is short, uninitialised or inconsistent
        }
        try (reader) {
            for (int i = 0; i < POLLS; i++) {
                int work = reader.poll((payload, sequence) -> assertThat(payload.remaining())
                        .as("payload length").isBetween(0, maxPayload), LIMIT);
                assertThat(work).as("records handled by one poll").isBetween(0, LIMIT);
                if (work == 0) {
                    return;
                }
            }
        } catch (ProtocolException expected) {
            // documented: a corrupt record
        }
    }
}
