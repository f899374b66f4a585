package io.github.reactivepubsub;

/** What a subscriber's bounded buffer does when a message arrives while it is full. */
public enum Overflow {
    /**
     * The subscriber's Flux fails with an {@link OverflowException} naming the topic and buffer size, and the
     * subscription ends. The default: overload is never silent.
     */
    ERROR,
    /** The oldest buffered message is dropped (and counted) to make room for the new one. */
    DROP_OLDEST,
    /** The arriving message is dropped (and counted); the buffer keeps what it has. */
    DROP_LATEST
}
