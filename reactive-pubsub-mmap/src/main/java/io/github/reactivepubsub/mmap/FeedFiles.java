package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.BroadcastDescriptor.*;

import io.github.reactivepubsub.mmap.FeedFileException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/** Opening, validating and watching feed files on the subscriber side. Blocking file I/O; any thread. */
final class FeedFiles {

    private static final long FIRST_RETRY_NANOS = 1_000_000;
    private static final long MAX_RETRY_NANOS = 100_000_000;

    private FeedFiles() {}

    /** A failure worth retrying while waiting for a publisher to create or initialise the file. */
    static final class NotReadyException extends FeedFileException {
        private static final long serialVersionUID = 1L;

        NotReadyException(Path path, String message) {
            super(Reason.CORRUPT, path, message);
        }
    }

    /** Opens one file, read-only. */
    @FunctionalInterface
    interface Opener<T> {
        T open(Path path) throws IOException;
    }

    /**
     * Calls {@code opener} until it succeeds or {@code timeout} passes, backing off from 1 ms to 100 ms between
     * attempts. Missing and not-yet-ready files are retried; any other failure is thrown at once.
     *
     * @throws FeedFileException {@code NOT_FOUND} when the file is still missing at the deadline, {@code CORRUPT}
     *     when it is still short or uninitialised at the deadline
     */
    static <T> T await(Path path, Duration timeout, Opener<T> opener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_RETRY_NANOS;
        while (true) {
            try {
                return opener.open(path);
            } catch (NoSuchFileException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new FeedFileException(Reason.NOT_FOUND, path,
                            "no feed file after waiting " + timeout + ": expected a publisher to create it", e);
                }
            } catch (NotReadyException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open feed file " + path, e);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_RETRY_NANOS);
        }
    }

    /** Maps an {@code RTG} file read-only after checking it holds at least 8192 bytes. */
    static Memory mapRtg(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < RtgDescriptor.FILE_SIZE) {
                throw new NotReadyException(path, "RTG feed file is " + size + " bytes: expected at least "
                        + RtgDescriptor.FILE_SIZE);
            }
            return Memory.of(channel.map(FileChannel.MapMode.READ_ONLY, 0, RtgDescriptor.FILE_SIZE));
        }
    }

    /**
     * Maps a {@code NATIVE} file read-only and validates its header ({@code docs/shared-memory.md}, section 2, "File"
     * and "Creation and opening").
     */
    static NativeReader.MappedRing mapNative(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw new NotReadyException(path, "NATIVE feed file is " + size + " bytes: expected at least the "
                        + HEADER_LENGTH + "-byte header");
            }
            if (size > Integer.MAX_VALUE) {
                throw new FeedFileException(Reason.CORRUPT, path, "NATIVE feed file is " + size
                        + " bytes: expected at most " + fileLength(MAX_CAPACITY));
            }
            Memory memory = Memory.of(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
            return validate(path, memory, size);
        }
    }

    static NativeReader.MappedRing validate(Path path, Memory memory, long size) {
        long magic = memory.getLongAcquire(MAGIC_OFFSET);
        if (magic == 0) {
            throw new NotReadyException(path, "NATIVE feed file has no magic yet: expected a publisher to finish "
                    + "initialising it");
        }
        if (magic != MAGIC) {
            throw new FeedFileException(Reason.BAD_MAGIC, path, "magic is " + describe(magic)
                    + ": expected \"RPSBCAST\" (52 50 53 42 43 41 53 54); not a NATIVE feed file (an RTG file?)");
        }
        int version = memory.getInt(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new FeedFileException(Reason.UNSUPPORTED_LAYOUT, path, "layout version is " + version + ": expected "
                    + LAYOUT_VERSION);
        }
        expect(path, memory, HEADER_LENGTH_OFFSET, "headerLength", HEADER_LENGTH);
        expect(path, memory, RECORD_HEADER_LENGTH_OFFSET, "recordHeaderLength", RECORD_HEADER_LENGTH);
        expect(path, memory, TRAILER_LENGTH_OFFSET, "trailerLength", TRAILER_LENGTH);
        int capacity = memory.getInt(CAPACITY_OFFSET);
        try {
            checkCapacity(capacity);
        } catch (IllegalArgumentException e) {
            throw new FeedFileException(Reason.CORRUPT, path, "header " + e.getMessage());
        }
        int maxPayload = memory.getInt(MAX_MESSAGE_LENGTH_OFFSET);
        if (maxPayload < 0 || maxPayload > maxPayloadLength(capacity)) {
            throw new FeedFileException(Reason.CORRUPT, path, "maxMessageLength is " + maxPayload + ": expected 0.."
                    + maxPayloadLength(capacity) + " (capacity / 8)");
        }
        if (size != fileLength(capacity)) {
            throw new FeedFileException(Reason.CORRUPT, path, "file is " + size + " bytes: expected exactly "
                    + fileLength(capacity) + " for capacity " + capacity);
        }
        return new NativeReader.MappedRing(path, memory, capacity, maxPayload, memory.getLong(EPOCH_OFFSET));
    }

    private static void expect(Path path, Memory memory, int offset, String field, int expected) {
        int found = memory.getInt(offset);
        if (found != expected) {
            throw new FeedFileException(Reason.CORRUPT, path, field + " is " + found + ": expected " + expected);
        }
    }

    private static String describe(long magic) {
        byte[] bytes = new byte[8];
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (magic >>> (8 * i));
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        String ascii = new String(bytes, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", ".");
        return "\"" + ascii + "\" (" + hex + ")";
    }

    /** @return the path's file key (inode identity), or {@code null} when the path does not exist */
    static @Nullable Object fileKey(Path path) {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path; // no inode identity here: only the epoch reveals a new file
        } catch (IOException e) {
            return null;
        }
    }
}
