package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * A {@code NATIVE} feed file has a layout version this code does not read. Never guessed at.
 *
 * <p>The message says what was found and what was expected.
 */
public class UnsupportedLayoutException extends FeedFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public UnsupportedLayoutException(Path path, String message) {
        super(path, message);
    }
}
