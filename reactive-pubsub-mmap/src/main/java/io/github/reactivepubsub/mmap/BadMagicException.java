package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * A file is not a {@code NATIVE} feed: its first eight bytes are not the magic {@code "RPSBCAST"}.
 *
 * <p>The message says what was found and what was expected.
 */
public class BadMagicException extends FeedFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public BadMagicException(Path path, String message) {
        super(path, message);
    }
}
