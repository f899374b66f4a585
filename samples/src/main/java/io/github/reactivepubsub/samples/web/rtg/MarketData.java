package io.github.reactivepubsub.samples.web.rtg;

import java.util.List;
import java.util.Objects;

/**
 * One decoded Ready Trader Go market-data message: an order book update or trade ticks of one instrument. Both have
 * the same shape (see {@link RtgCodec}); this record is also the JSON payload the app publishes on its hub topics.
 *
 * <p>Order book: {@code asks} best (lowest) first, {@code bids} best (highest) first, up to five each. Trade ticks:
 * {@code asks} are buys that lifted resting asks (lowest price first), {@code bids} sells that hit bids (highest
 * first).
 *
 * @param type which message
 * @param instrument which instrument
 * @param sequence the sequence number, 0 to 2<sup>32</sup>-1
 * @param asks up to {@value RtgCodec#LEVELS} ask levels (copied, unmodifiable)
 * @param bids up to {@value RtgCodec#LEVELS} bid levels (copied, unmodifiable)
 */
public record MarketData(MessageType type, Instrument instrument, long sequence, List<Level> asks, List<Level> bids) {

    /**
     * @throws IllegalArgumentException when a side has more than five levels or the sequence does not fit in a u32
     */
    public MarketData {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instrument, "instrument");
        asks = List.copyOf(asks);
        bids = List.copyOf(bids);
        if (asks.size() > RtgCodec.LEVELS || bids.size() > RtgCodec.LEVELS) {
            throw new IllegalArgumentException("at most " + RtgCodec.LEVELS + " levels a side, got " + asks.size()
                    + " asks and " + bids.size() + " bids");
        }
        if (sequence < 0 || sequence > RtgCodec.U32_MAX) {
            throw new IllegalArgumentException("sequence must be 0.." + RtgCodec.U32_MAX + ", got " + sequence);
        }
    }
}
