package io.github.reactivepubsub.mmap;

/** What a {@code NATIVE} subscriber does when the publisher laps it. Loss is always counted either way. */
public enum LossPolicy {
    /** Count the loss, emit a {@link FeedEvent.Lapped} and {@link FeedEvent.Lost} event, resynchronise, go on. */
    CONTINUE,
    /** Count the loss, then fail the datagram {@code Flux} with a {@link MessageLossException}. */
    ERROR
}
