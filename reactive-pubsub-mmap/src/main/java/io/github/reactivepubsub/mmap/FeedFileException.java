package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * A feed file cannot be used; {@link #reason()} names the case and the message says what was found and what was
 * expected, with the file.
 *
 * <pre>{@code
 * try {
 *     MmapSubscriber sub = MmapSubscriber.open(path, ReaderOptions.of(Layout.NATIVE));
 * } catch (FeedFileException e) {
 *     if (e.reason() == FeedFileException.Reason.NOT_FOUND) { ... } // no publisher yet
 * }
 * }</pre>
 */
public class FeedFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a feed file cannot be used. */
    public enum Reason {
        /** The file did not appear (or did not become readable) before the subscriber's open timeout. */
        NOT_FOUND,
        /** The file is too short, has the wrong size, or holds header fields or records that break the layout. */
        CORRUPT,
        /** Not a {@code NATIVE} feed: its first eight bytes are not the magic {@code "RPSBCAST"}. */
        BAD_MAGIC,
        /** A {@code NATIVE} layout version this code does not read. Never guessed at. */
        UNSUPPORTED_LAYOUT,
        /**
         * Another publisher, in this process or another, already writes the file (it holds the sidecar
         * {@code <name>.lock}).
         */
        LOCKED
    }

    /** Why the file is unusable. */
    private final Reason reason;
    /** The file (not serialized: {@code Path} is not serializable). */
    private final transient Path path;

    /**
     * @param reason the case
     * @param path the feed file
     * @param message what was found and what was expected
     */
    public FeedFileException(Reason reason, Path path, String message) {
        super(message + " (file " + path + ")");
        this.reason = reason;
        this.path = path;
    }

    /**
     * @param reason the case
     * @param path the feed file
     * @param message what was found and what was expected
     * @param cause the underlying failure
     */
    public FeedFileException(Reason reason, Path path, String message, Throwable cause) {
        super(message + " (file " + path + ")", cause);
        this.reason = reason;
        this.path = path;
    }

    /** @return why the file cannot be used */
    public Reason reason() {
        return reason;
    }

    /** @return the feed file concerned */
    public Path path() {
        return path;
    }
}
