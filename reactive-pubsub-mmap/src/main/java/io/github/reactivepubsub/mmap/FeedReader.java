package io.github.reactivepubsub.mmap;

/**
 * Reads one layout's records from a mapping, keeping a private cursor and loss counters. Polled by one thread at
 * a time (the file's poller); the counters are written by that thread only and readable from any thread.
 */
abstract class FeedReader {

    /** Receives what a poll finds, on the polling thread. */
    interface Handler {
        void onDatagram(Datagram datagram);

        void onEvent(FeedEvent event);

        /** @return {@code true} once the receiver wants nothing more (e.g. it failed): the poll stops at once */
        default boolean stopped() {
            return false;
        }

        /**
         * Where the reader copies the next datagram's {@code length} bytes. By default a new array of exactly that
         * length, which the delivered {@link Datagram} then owns; a receiver that overrides it (to reuse one scratch
         * array) overrides {@link #onPayload} too.
         */
        default byte[] destination(int length) {
            return new byte[length];
        }

        /** Delivers bytes {@code [0, length)} of the array {@link #destination} returned; by default as a Datagram. */
        default void onPayload(byte[] bytes, int length, long sequence) {
            onDatagram(new Datagram(bytes, sequence));
        }
    }

    /**
     * Maps {@code path} (waiting up to the open timeout for a publisher to create it) and positions a reader of the
     * options' layout at their start position.
     */
    static FeedReader open(java.nio.file.Path path, ReaderOptions options) {
        StartPosition start = options.start();
        return options.layout() == Layout.RTG
                ? new RtgReader(FeedFiles.await(path, options.openTimeout(), FeedFiles::mapRtg), start)
                : new NativeReader(FeedFiles.await(path, options.openTimeout(), FeedFiles::mapNative), start);
    }

    // Single writer (the polling thread); volatile so that any thread reads a current value.
    volatile long delivered;
    volatile long lappedCount;
    volatile long bytesSkipped;
    volatile long messagesLost;
    volatile long corruptCount;

    /**
     * Reads up to {@code limit} records.
     *
     * @return the number of records and events handled; {@code 0} when nothing was new
     */
    abstract int poll(Handler handler, int limit);

    /** @return {@code true} when the publisher marked the file closed and everything before has been read */
    abstract boolean drainedAfterClose();

    /** @return the publisher's last heartbeat (Unix ms) if it says it is active, else {@code -1} */
    abstract long activeHeartbeatMillis();

    /** @return the epoch of the mapped file ({@code 0} when the layout has none) */
    abstract long epoch();

    /**
     * Maps the file now at {@code path} (a new publisher's) in place of the current one and starts at its
     * beginning; counters carry over, the sequence baseline is forgotten (losses across a restart are unknowable).
     *
     * @throws IOException or a {@link FeedFileException} when the new file cannot be used (yet)
     */
    abstract void remap(java.nio.file.Path path) throws java.io.IOException;
}
