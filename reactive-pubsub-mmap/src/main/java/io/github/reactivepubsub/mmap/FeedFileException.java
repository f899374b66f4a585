package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * A feed file cannot be used: missing, too short, corrupt, of another layout or version, or locked by another
 * publisher. Subclasses name the case; the message says what was found and what was expected.
 */
public class FeedFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public FeedFileException(Path path, String message) {
        super(message + " (file " + path + ")");
        this.path = path;
    }

    /**
     * @param path the feed file
     * @param message what was found and what was expected
     * @param cause the underlying failure
     */
    public FeedFileException(Path path, String message, Throwable cause) {
        super(message + " (file " + path + ")", cause);
        this.path = path;
    }

    /** @return the feed file concerned */
    public Path path() {
        return path;
    }
}
