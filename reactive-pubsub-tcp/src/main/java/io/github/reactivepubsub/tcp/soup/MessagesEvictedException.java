package io.github.reactivepubsub.tcp.soup;

/**
 * A reader of a bounded {@link MessageStore} asked for, or fell behind to, a sequence number the store no longer
 * retains. The server closes that client's connection (without {@code Z}); the client's next login from that
 * number is then rejected with {@link RejectReason#SESSION_NOT_AVAILABLE}.
 */
public class MessagesEvictedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The sequence number asked for. */
    private final long sequence;
    /** The oldest sequence number the store still holds. */
    private final long firstRetained;

    /**
     * @param sequence the number that was wanted
     * @param firstRetained the oldest number the store still holds
     */
    public MessagesEvictedException(long sequence, long firstRetained) {
        super("message " + sequence + " was evicted from the store; the oldest retained is " + firstRetained);
        this.sequence = sequence;
        this.firstRetained = firstRetained;
    }

    /** @return the number that was wanted */
    public long sequence() {
        return sequence;
    }

    /** @return the oldest number the store still held when this was raised */
    public long firstRetained() {
        return firstRetained;
    }
}
