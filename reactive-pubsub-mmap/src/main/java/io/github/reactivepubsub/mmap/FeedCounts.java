package io.github.reactivepubsub.mmap;

/**
 * The counts that both ways of reading a feed file report, {@link MmapReader} (polled by the caller) and
 * {@link MmapSubscriber} (a {@code Flux} fed by a poller), read from their {@link FeedReader}. Package-private: users
 * see these methods as the reader's and the subscriber's own.
 *
 * <p>Thread-safe: each count is a volatile field written by the reading thread only; a read may miss the latest
 * datagram.
 */
abstract class FeedCounts {

    FeedCounts() {
    }

    /** @return the reader of the mapped file whose counts these are */
    abstract FeedReader feedReader();

    /**
     * @return datagrams read so far: handed out by {@code poll}, or delivered to the stream whether or not anyone was
     *     subscribed
     */
    public long delivered() {
        return feedReader().delivered;
    }

    /** @return how many times the publisher lapped this reader ({@code NATIVE}) */
    public long lappedCount() {
        return feedReader().lappedCount;
    }

    /** @return ring bytes skipped by the resynchronisations after laps ({@code NATIVE}) */
    public long bytesSkipped() {
        return feedReader().bytesSkipped;
    }

    /** @return datagrams lost, exact from sequence numbers ({@code NATIVE}; {@code RTG} cannot tell and reports 0) */
    public long messagesLost() {
        return feedReader().messagesLost;
    }
}
