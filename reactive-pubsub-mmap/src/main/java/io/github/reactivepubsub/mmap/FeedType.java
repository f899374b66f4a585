package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/** Resolves a factory's {@code (type, name)} to a file path. */
final class FeedType {

    /** Where type {@code shm} files live: tmpfs, no disk write-back. */
    static final Path SHM_DIRECTORY = Path.of("/dev/shm");

    private FeedType() {}

    /**
     * @throws UnknownFeedTypeException for a type other than {@code mmap} / {@code shm}
     * @throws IllegalArgumentException for an empty name, or an {@code shm} name that is not a plain file name
     */
    static Path resolve(String type, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("feed name is empty: expected a file path (mmap) or file name (shm)");
        }
        switch (type) {
            case "mmap":
                return Path.of(name);
            case "shm":
                if (name.contains("/") || name.equals(".") || name.equals("..")) {
                    throw new IllegalArgumentException("shm feed name '" + name
                            + "' must be a plain file name under " + SHM_DIRECTORY + " (no '/')");
                }
                return SHM_DIRECTORY.resolve(name);
            default:
                throw new UnknownFeedTypeException(type);
        }
    }
}
