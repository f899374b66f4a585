package io.github.reactivepubsub.mmap;

/** Writes records of one layout into a mapped file. Not thread-safe: {@link MmapPublisher} serializes calls. */
interface FeedWriter {

    /** Writes one datagram; the length has been checked against {@link #maxPayloadLength()}. */
    void write(byte[] src, int offset, int length);

    /** @return the largest payload this file accepts */
    int maxPayloadLength();

    /** @return the publisher epoch written in the file, {@code 0} for layouts without one */
    long epoch();

    /** Refreshes liveness information in the file, if the layout has any. Any thread. */
    void heartbeat();

    /** Marks the file closed, if the layout can say so. Called once, after the last write. */
    void markClosed();
}
