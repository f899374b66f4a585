package io.github.reactivepubsub;

/**
 * The outcome of one publish, as a value rather than an exception (like Reactor's {@code EmitResult}).
 *
 * <p>{@link Status#DELIVERED} counts the subscribers the message was handed to; each of them buffers it under its own
 * {@link Overflow} policy, so a subscriber with a full buffer may still drop it (and count the drop).
 */
public final class PublishResult {

    /** What happened to the message. */
    public enum Status {
        /** Handed to {@link #subscribers()} subscribers (at least one). */
        DELIVERED,
        /** No subscriber matched the key: the message was dropped (a declared replay topic still retains it). */
        NO_SUBSCRIBERS,
        /** The hub is closed: the message was rejected. */
        CLOSED,
        /**
         * A remote hub wrote the message to its broker connection; the broker delivers it to its subscribers (how
         * many is not known to the publisher).
         */
        SENT,
        /** A remote hub is not connected: the message was rejected, not queued. */
        DISCONNECTED
    }

    /** No subscriber matched. */
    public static final PublishResult NO_SUBSCRIBERS = new PublishResult(Status.NO_SUBSCRIBERS, 0);
    /** The hub is closed. */
    public static final PublishResult CLOSED = new PublishResult(Status.CLOSED, 0);
    /** A remote hub wrote the message to its broker connection. */
    public static final PublishResult SENT = new PublishResult(Status.SENT, 0);
    /** A remote hub is not connected. */
    public static final PublishResult DISCONNECTED = new PublishResult(Status.DISCONNECTED, 0);

    private static final PublishResult[] SMALL = new PublishResult[64];

    static {
        for (int i = 1; i < SMALL.length; i++) {
            SMALL[i] = new PublishResult(Status.DELIVERED, i);
        }
    }

    private final Status status;
    private final int subscribers;

    private PublishResult(Status status, int subscribers) {
        this.status = status;
        this.subscribers = subscribers;
    }

    /**
     * @param subscribers how many subscribers received the message; 0 means {@link #NO_SUBSCRIBERS}
     * @return the result (cached for small counts: publishing does not allocate it)
     */
    public static PublishResult delivered(int subscribers) {
        if (subscribers <= 0) {
            return NO_SUBSCRIBERS;
        }
        return subscribers < SMALL.length ? SMALL[subscribers] : new PublishResult(Status.DELIVERED, subscribers);
    }

    /** @return what happened */
    public Status status() {
        return status;
    }

    /** @return how many subscribers the message was handed to (0 unless {@link Status#DELIVERED}) */
    public int subscribers() {
        return subscribers;
    }

    /** @return whether at least one subscriber received the message */
    public boolean isDelivered() {
        return status == Status.DELIVERED;
    }

    /** @return whether the message went on: {@link Status#DELIVERED} or {@link Status#SENT} */
    public boolean isAccepted() {
        return status == Status.DELIVERED || status == Status.SENT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishResult r && r.status == status && r.subscribers == subscribers;
    }

    @Override
    public int hashCode() {
        return status.hashCode() * 31 + subscribers;
    }

    @Override
    public String toString() {
        return status == Status.DELIVERED ? "DELIVERED(" + subscribers + ")" : status.name();
    }
}
