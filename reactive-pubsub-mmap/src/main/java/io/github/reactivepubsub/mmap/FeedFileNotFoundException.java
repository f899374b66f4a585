package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/** The feed file did not appear (or did not become readable) before the subscriber's open timeout. */
public class FeedFileNotFoundException extends FeedFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     * @param cause the last failure seen while waiting (a {@link java.nio.file.NoSuchFileException} or the last
     *     validation error)
     */
    public FeedFileNotFoundException(Path path, String message, Throwable cause) {
        super(path, message, cause);
    }
}
