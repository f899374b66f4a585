package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.internal.IdleTimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * Writes datagrams into one feed file; any number of {@link MmapSubscriber}s, in any process, read them. The
 * publisher never waits for subscribers: a subscriber that falls a whole ring behind is lapped.
 *
 * <p><b>One publisher per file.</b> Creating a publisher takes an exclusive lock on the sidecar file
 * {@code <name>.lock} for its lifetime; a second publisher for the same file, in this process or another, fails
 * fast with {@link FeedFileException} ({@code LOCKED}).
 *
 * <p><b>Threading.</b> {@link #publish} may be called from any number of threads: calls are serialized on the
 * publisher's monitor, each holding it only for one bounded copy into the mapping (never for I/O), so datagrams
 * from one thread stay in order and concurrent calls never interleave bytes. Publishing from a single thread
 * keeps the monitor uncontended. {@code publish} never blocks on subscribers and allocates nothing.
 *
 * <pre>{@code
 * try (MmapPublisher pub = FeedFactory.of("shm", "prices").publisher(PublisherOptions.of(Layout.NATIVE))) {
 *     pub.publish("hello".getBytes(StandardCharsets.US_ASCII));
 * }
 * }</pre>
 */
public final class MmapPublisher implements AutoCloseable {

    private final Path path;
    private final Layout layout;
    private final FeedWriter writer;
    private final FileChannel lockChannel;
    private final @Nullable IdleTimer heartbeat;
    private long published;
    private boolean closed;

    private MmapPublisher(Path path, Layout layout, FeedWriter writer, FileChannel lockChannel,
            @Nullable IdleTimer heartbeat) {
        this.path = path;
        this.layout = layout;
        this.writer = writer;
        this.lockChannel = lockChannel;
        this.heartbeat = heartbeat;
    }

    /**
     * Creates or opens the file and starts publishing. {@code RTG}: opens or creates without truncation, zeroes
     * the first 8192 bytes in place (readers that mapped it stay attached). {@code NATIVE}: builds a new file with
     * a new epoch beside the target and atomically renames it over the path (readers detect the restart).
     * Blocking file I/O: call it from a thread that may block.
     *
     * @param path the feed file
     * @param options layout and sizes
     * @return the publisher
     * @throws FeedFileException ({@code LOCKED}) when another publisher holds the file
     * @throws UncheckedIOException when the file cannot be created or mapped
     */
    public static MmapPublisher create(Path path, PublisherOptions options) {
        Objects.requireNonNull(path, "path");
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        FileChannel lockChannel = null;
        try {
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockChannel);
            if (lock == null) {
                throw new FeedFileException(FeedFileException.Reason.LOCKED, path, "another publisher holds "
                        + lockPath + ": expected no other publisher on this file");
            }
            FeedWriter writer = options.layout() == Layout.RTG
                    ? RtgWriter.open(path) : NativeWriter.create(path, options.capacity());
            // never touched: a repeating idle timer is a fixed-rate liveness tick
            IdleTimer heartbeat = options.layout() == Layout.RTG ? null
                    : IdleTimer.builder(options.heartbeatPeriod(), Schedulers.parallel()).mode(IdleTimer.Mode.REPEAT)
                            .start(writer::heartbeat);
            return new MmapPublisher(path, options.layout(), writer, lockChannel, heartbeat);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("cannot create feed file " + path + " (" + options + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /**
     * Publishes one datagram.
     *
     * @param payload the bytes; copied into the file before this returns
     * @throws IllegalArgumentException when longer than {@link #maxPayloadLength()}; nothing is written
     * @throws IllegalStateException after {@link #close()}
     */
    public void publish(byte[] payload) {
        publish(payload, 0, payload.length);
    }

    /**
     * Publishes {@code length} bytes of {@code payload} from {@code offset} as one datagram.
     *
     * @param payload the source array
     * @param offset the first byte
     * @param length the datagram length
     * @throws IllegalArgumentException when longer than {@link #maxPayloadLength()}; nothing is written
     * @throws IndexOutOfBoundsException when the range is outside {@code payload}
     * @throws IllegalStateException after {@link #close()}
     */
    public void publish(byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (length > writer.maxPayloadLength()) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds the " + layout
                    + " maximum of " + writer.maxPayloadLength() + " bytes (" + path + ")");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("publisher for " + path + " is closed");
            }
            writer.write(payload, offset, length);
            published++;
        }
    }

    /** @return the largest datagram accepted: 120 bytes for {@code RTG}, capacity / 8 for {@code NATIVE} */
    public int maxPayloadLength() {
        return writer.maxPayloadLength();
    }

    /** @return the number of datagrams published so far */
    public synchronized long published() {
        return published;
    }

    /** @return the {@code NATIVE} epoch written in the file's header; {@code 0} for {@code RTG} */
    public long epoch() {
        return writer.epoch();
    }

    /** @return the feed file */
    public Path path() {
        return path;
    }

    /** @return the layout */
    public Layout layout() {
        return layout;
    }

    /**
     * Stops publishing: a {@code NATIVE} file is marked closed (subscribers drain what was written, then
     * complete), the heartbeat stops and the lock is released. The file stays. Idempotent; any thread.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeat != null) {
                heartbeat.dispose();
            }
            writer.markClosed();
        }
        closeQuietly(lockChannel);
    }

    @Override
    public String toString() {
        return "MmapPublisher[" + layout + " " + path + "]";
    }
}
