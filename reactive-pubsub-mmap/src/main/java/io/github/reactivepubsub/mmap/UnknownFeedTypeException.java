package io.github.reactivepubsub.mmap;

/** A factory type other than {@code mmap} and {@code shm}. */
public class UnknownFeedTypeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String type;

    /** @param type the rejected type */
    public UnknownFeedTypeException(String type) {
        super("unknown feed type '" + type + "': expected 'mmap' (a file path) or 'shm' (a file under /dev/shm)");
        this.type = type;
    }

    /** @return the rejected type */
    public String type() {
        return type;
    }
}
