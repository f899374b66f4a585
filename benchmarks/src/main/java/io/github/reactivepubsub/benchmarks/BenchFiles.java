package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.mmap.FeedFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Feed files for the shared-memory benchmarks: under /dev/shm when present, removed at tear-down. */
final class BenchFiles {

    private BenchFiles() {}

    static Path newPath(String prefix) {
        return FeedFactory.sharedMemoryDirectory().resolve("rps-bench-" + prefix + "-" + UUID.randomUUID());
    }

    /** Maps a new zeroed file of {@code length} bytes read-write (for the Agrona anchor). */
    static MappedByteBuffer mapNew(Path path, int length) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
