package io.github.reactivepubsub.samples.web.rtg;

/** The two Ready Trader Go messages carried in the shared-memory feed, with their wire type ids. */
public enum MessageType {
    /** Top five levels of one instrument's order book, type 10. */
    ORDER_BOOK_UPDATE(10),
    /** Volume traded per price since the previous trade ticks of one instrument, type 11. */
    TRADE_TICKS(11);

    private final int wireId;

    MessageType(int wireId) {
        this.wireId = wireId;
    }

    /** @return the wire type id (the third byte of the message) */
    public int wireId() {
        return wireId;
    }
}
