package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * Another publisher, in this process or another, already writes the feed file (it holds the sidecar {@code <name>.lock}).
 *
 * <p>The message says what was found and what was expected.
 */
public class FeedLockedException extends FeedFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public FeedLockedException(Path path, String message) {
        super(path, message);
    }
}
