package io.github.reactivepubsub.samples.web.market;

/**
 * The path from the exchange simulator to the hub: the simulator writes Ready Trader Go datagrams into it, and
 * whatever is on the other side decodes them and publishes them under {@link MarketTopics}' keys.
 *
 * <p>Threading: {@link #write} is called by one thread at a time (the simulator's timer) and must not block.
 */
public interface MarketFeed extends AutoCloseable {

    /**
     * Hands one datagram to the feed.
     *
     * @param datagram an encoded ORDER_BOOK_UPDATE or TRADE_TICKS message (88 bytes); the feed may keep it
     */
    void write(byte[] datagram);

    /**
     * @return how the datagrams travel, for people: {@code "direct"} or the shared-memory file's layout and path
     */
    String transport();

    /** @return datagrams written to the feed so far */
    long written();

    /** @return datagrams the hub side could not decode, so far (each was logged and skipped) */
    long rejected();

    /** Stops the feed and releases what it holds. Idempotent. */
    @Override
    void close();
}
