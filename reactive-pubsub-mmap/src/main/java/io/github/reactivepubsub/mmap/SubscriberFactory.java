package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * Creates subscribers by type and name, the counterpart of {@link PublisherFactory}. Immutable and thread-safe.
 *
 * <pre>{@code
 * MmapSubscriber sub = new SubscriberFactory("shm", "prices")
 *         .create(ReaderOptions.of(Layout.NATIVE).openTimeout(Duration.ofSeconds(5)));
 * }</pre>
 */
public final class SubscriberFactory {

    private final String type;
    private final Path path;

    /**
     * @param type {@code mmap} or {@code shm}
     * @param name a file path ({@code mmap}) or a file name ({@code shm})
     * @throws UnknownFeedTypeException for any other type, naming it and the two allowed
     * @throws IllegalArgumentException for an empty name or an {@code shm} name containing {@code /}
     */
    public SubscriberFactory(String type, String name) {
        this.type = type;
        this.path = FeedType.resolve(type, name);
    }

    /**
     * Opens a subscriber; see {@link MmapSubscriber#open(Path, ReaderOptions)}. Blocking up to the open timeout.
     *
     * @param options layout, start position, idle strategy, timeouts, loss policy
     * @return a new subscriber, which the caller closes
     * @throws FeedFileException (a subclass naming the case) when the file is missing, short, corrupt, or of
     *     another magic or version
     */
    public MmapSubscriber create(ReaderOptions options) {
        return MmapSubscriber.open(path, options);
    }

    /** @return the file this factory's subscribers read */
    public Path path() {
        return path;
    }

    /** @return the factory type, {@code mmap} or {@code shm} */
    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return "SubscriberFactory[" + type + " " + path + "]";
    }
}
