package io.github.reactivepubsub.mmap;

/**
 * Signalled by a subscriber's {@code Flux} under {@link LossPolicy#ERROR} when the publisher lapped it.
 */
public class MessageLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Times the subscriber was lapped when the loss was detected. */
    private final long lappedCount;
    /** Ring bytes skipped by the resynchronization. */
    private final long bytesSkipped;

    /**
     * @param message what was lost and where
     * @param lappedCount the subscriber's lap count, this lap included
     * @param bytesSkipped ring bytes skipped by this lap's resynchronisation
     */
    public MessageLossException(String message, long lappedCount, long bytesSkipped) {
        super(message);
        this.lappedCount = lappedCount;
        this.bytesSkipped = bytesSkipped;
    }

    /** @return the subscriber's lap count, this lap included */
    public long lappedCount() {
        return lappedCount;
    }

    /** @return ring bytes skipped by this lap's resynchronisation */
    public long bytesSkipped() {
        return bytesSkipped;
    }
}
