package io.github.reactivepubsub.mmap;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a feed lives, by type and name, as Ready Trader Go's configuration names feeds
 * ({@code "Information": {"Type": "mmap", "Name": "info.dat"}}); the one place that turns such a pair into a file,
 * for publishers and subscribers alike. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@code mmap}: {@code name} is a file path (a relative one resolves against the working directory);</li>
 *   <li>{@code shm}: {@code name} is a file name under {@code /dev/shm} (tmpfs: no disk write-back).</li>
 * </ul>
 *
 * <pre>{@code
 * FeedFactory feed = FeedFactory.of("shm", "prices");
 * MmapPublisher pub = feed.publisher(PublisherOptions.of(Layout.NATIVE));
 * MmapSubscriber sub = feed.subscriber(ReaderOptions.of(Layout.NATIVE).openTimeout(Duration.ofSeconds(5)));
 * }</pre>
 */
public final class FeedFactory {

    /** Where type {@code shm} files live. */
    static final Path SHM_DIRECTORY = Path.of("/dev/shm");

    private final String type;
    private final Path path;

    private FeedFactory(String type, Path path) {
        this.type = type;
        this.path = path;
    }

    /**
     * @param type {@code mmap} or {@code shm}
     * @param name a file path ({@code mmap}) or a file name ({@code shm})
     * @return the feed's location
     * @throws IllegalArgumentException for any other type (naming it and the two allowed), an empty name, or an
     *     {@code shm} name that is not a plain file name
     */
    public static FeedFactory of(String type, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("feed name is empty: expected a file path (mmap) or file name (shm)");
        }
        switch (type) {
            case "mmap":
                return new FeedFactory(type, Path.of(name));
            case "shm":
                if (name.contains("/") || name.equals(".") || name.equals("..")) {
                    throw new IllegalArgumentException("shm feed name '" + name
                            + "' must be a plain file name under " + SHM_DIRECTORY + " (no '/')");
                }
                return new FeedFactory(type, SHM_DIRECTORY.resolve(name));
            default:
                throw new IllegalArgumentException("unknown feed type '" + type
                        + "': expected 'mmap' (a file path) or 'shm' (a file under /dev/shm)");
        }
    }

    /**
     * @return {@code /dev/shm} where the machine has it and it is writable (Linux), else the JVM's temporary
     *     directory: where a feed that only lives as long as its processes (a demo, a benchmark) should go
     */
    public static Path sharedMemoryDirectory() {
        return Files.isDirectory(SHM_DIRECTORY) && Files.isWritable(SHM_DIRECTORY) ? SHM_DIRECTORY
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Creates the publisher; see {@link MmapPublisher#create(Path, PublisherOptions)}. Blocking file I/O.
     *
     * @param options layout and sizes
     * @return a new publisher, which the caller closes
     * @throws FeedFileException ({@code LOCKED}) when another publisher holds the file
     */
    public MmapPublisher publisher(PublisherOptions options) {
        return MmapPublisher.create(path, options);
    }

    /**
     * Opens a subscriber; see {@link MmapSubscriber#open(Path, ReaderOptions)}. Blocking up to the open timeout.
     *
     * @param options layout, start position, idle strategy, timeouts, loss policy
     * @return a new subscriber, which the caller closes
     * @throws FeedFileException when the file is missing, short, corrupt, or of another magic or version
     */
    public MmapSubscriber subscriber(ReaderOptions options) {
        return MmapSubscriber.open(path, options);
    }

    /**
     * Opens a caller-polled reader; see {@link MmapReader#open(Path, ReaderOptions)}. Blocking up to the open
     * timeout.
     *
     * @param options layout, start position, timeouts, loss policy
     * @return a new reader, which the caller closes
     * @throws FeedFileException when the file is missing, short, corrupt, or of another magic or version
     */
    public MmapReader reader(ReaderOptions options) {
        return MmapReader.open(path, options);
    }

    /** @return the feed file */
    public Path path() {
        return path;
    }

    /** @return the type, {@code mmap} or {@code shm} */
    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return "FeedFactory[" + type + " " + path + "]";
    }
}
