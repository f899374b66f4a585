package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * Creates publishers by type and name, as Ready Trader Go's configuration names feeds
 * ({@code "Information": {"Type": "mmap", "Name": "info.dat"}}). Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@code mmap}: {@code name} is a file path (a relative one resolves against the working directory);</li>
 *   <li>{@code shm}: {@code name} is a file name under {@code /dev/shm} (tmpfs: no disk write-back).</li>
 * </ul>
 *
 * <pre>{@code
 * MmapPublisher pub = new PublisherFactory("mmap", "info.dat").create(PublisherOptions.of(Layout.RTG));
 * }</pre>
 */
public final class PublisherFactory {

    private final String type;
    private final Path path;

    /**
     * @param type {@code mmap} or {@code shm}
     * @param name a file path ({@code mmap}) or a file name ({@code shm})
     * @throws UnknownFeedTypeException for any other type, naming it and the two allowed
     * @throws IllegalArgumentException for an empty name or an {@code shm} name containing {@code /}
     */
    public PublisherFactory(String type, String name) {
        this.type = type;
        this.path = FeedType.resolve(type, name);
    }

    /**
     * Creates the publisher; see {@link MmapPublisher#create(Path, PublisherOptions)}. Blocking file I/O.
     *
     * @param options layout and sizes
     * @return a new publisher, which the caller closes
     * @throws FeedLockedException when another publisher holds the file
     */
    public MmapPublisher create(PublisherOptions options) {
        return MmapPublisher.create(path, options);
    }

    /** @return the file this factory's publishers write */
    public Path path() {
        return path;
    }

    /** @return the factory type, {@code mmap} or {@code shm} */
    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return "PublisherFactory[" + type + " " + path + "]";
    }
}
