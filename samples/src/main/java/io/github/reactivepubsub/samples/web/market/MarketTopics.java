package io.github.reactivepubsub.samples.web.market;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.nio.ByteBuffer;

/**
 * The hub keys of the market-data feed: {@code market.book.<instrument>} for order book updates and
 * {@code market.trades.<instrument>} for trade ticks, each carrying a {@link MarketData} payload.
 * Subscribe to {@code market.**} for everything, {@code market.*.ETF} for one instrument.
 */
public final class MarketTopics {

    /** The common prefix, {@code market}. */
    public static final Key MARKET = Key.of("market");

    private static final Key[] BOOK = keys("book");
    private static final Key[] TRADES = keys("trades");

    private MarketTopics() {
    }

    private static Key[] keys(String kind) {
        Instrument[] instruments = Instrument.values();
        Key[] keys = new Key[instruments.length];
        for (Instrument i : instruments) {
            keys[i.ordinal()] = MARKET.concat(kind, i.name());
        }
        return keys;
    }

    /**
     * @param instrument an instrument
     * @return {@code market.book.<instrument>}
     */
    public static Key book(Instrument instrument) {
        return BOOK[instrument.ordinal()];
    }

    /**
     * @param instrument an instrument
     * @return {@code market.trades.<instrument>}
     */
    public static Key trades(Instrument instrument) {
        return TRADES[instrument.ordinal()];
    }

    /**
     * @param message a decoded message
     * @return the key it is published under
     */
    public static Key keyOf(MarketData message) {
        return message.type() == MessageType.ORDER_BOOK_UPDATE ? book(message.instrument())
                : trades(message.instrument());
    }

    /**
     * The key of a datagram not decoded yet, from its type and instrument bytes only.
     *
     * @param datagram an encoded message, from its position
     * @return the key its message is published under
     * @throws io.github.reactivepubsub.ProtocolException when its type or instrument is unknown
     */
    public static Key keyOf(ByteBuffer datagram) {
        Instrument instrument = RtgCodec.instrument(datagram);
        return RtgCodec.type(datagram) == MessageType.ORDER_BOOK_UPDATE ? book(instrument) : trades(instrument);
    }
}
