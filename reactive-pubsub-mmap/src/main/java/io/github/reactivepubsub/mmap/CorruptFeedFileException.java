package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * A feed file is too short, has the wrong size, or holds header fields or records that break the layout.
 *
 * <p>The message says what was found and what was expected.
 */
public class CorruptFeedFileException extends FeedFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public CorruptFeedFileException(Path path, String message) {
        super(path, message);
    }
}
