package io.github.reactivepubsub.samples.web.rtg;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes Ready Trader Go's two market-data messages, ORDER_BOOK_UPDATE (type 10) and TRADE_TICKS
 * (type 11), exactly as they travel in the shared-memory feed ({@code docs/shared-memory.md}, "Market data carried
 * by Ready Trader Go").
 * Both are 88 bytes, every integer big-endian:
 *
 * <pre>
 *  0       2      3            4                8                28               48               68         88
 * +-------+------+------------+----------------+----------------+----------------+----------------+----------------+
 * | len=88| type | instrument | sequence (u32) | ask prices 5x4 | ask volumes 5x4| bid prices 5x4 | bid volumes 5x4|
 * +-------+------+------------+----------------+----------------+----------------+----------------+----------------+
 * </pre>
 *
 * <p>Prices are integer cents, volumes lots; unused levels are 0 (price and volume) and are left out when decoding.
 * Stateless and thread-safe. Each datagram that does not follow the format is rejected alone with a
 * {@link ProtocolException} naming the offending offset (the reference autotrader stops instead).
 */
public final class RtgCodec {

    /** Length of both messages, header included. */
    public static final int MESSAGE_LENGTH = 88;
    /** Levels per side. */
    public static final int LEVELS = 5;
    /** Largest value of an unsigned 32-bit field. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int INSTRUMENT_OFFSET = 3;
    static final int SEQUENCE_OFFSET = 4;
    static final int ASK_PRICES_OFFSET = 8;
    static final int ASK_VOLUMES_OFFSET = ASK_PRICES_OFFSET + 4 * LEVELS;
    static final int BID_PRICES_OFFSET = ASK_VOLUMES_OFFSET + 4 * LEVELS;
    static final int BID_VOLUMES_OFFSET = BID_PRICES_OFFSET + 4 * LEVELS;
    private static final int HEADER_LENGTH = 3;

    private RtgCodec() {
    }

    /**
     * @param message the message
     * @return its 88-byte datagram
     */
    public static byte[] encode(MarketData message) {
        byte[] out = new byte[MESSAGE_LENGTH];
        putU16(out, LENGTH_OFFSET, MESSAGE_LENGTH);
        out[TYPE_OFFSET] = (byte) message.type().wireId();
        out[INSTRUMENT_OFFSET] = (byte) message.instrument().wireId();
        putU32(out, SEQUENCE_OFFSET, message.sequence());
        putLevels(out, ASK_PRICES_OFFSET, ASK_VOLUMES_OFFSET, message.asks());
        putLevels(out, BID_PRICES_OFFSET, BID_VOLUMES_OFFSET, message.bids());
        return out;
    }

    /**
     * @param datagram one datagram of the feed
     * @return the message it carries
     * @throws ProtocolException when the datagram is shorter than the 3-byte header, its header length differs from
     *     the datagram's length, its type is neither 10 nor 11, its length is not 88, or its instrument is unknown
     */
    public static MarketData decode(byte[] datagram) {
        if (datagram.length < HEADER_LENGTH) {
            throw new ProtocolException(0, "datagram of " + datagram.length + " bytes is shorter than the "
                    + HEADER_LENGTH + "-byte message header");
        }
        int length = getU16(datagram, LENGTH_OFFSET);
        if (length != datagram.length) {
            throw new ProtocolException(LENGTH_OFFSET, "header length " + length + " differs from the datagram's "
                    + datagram.length + " bytes");
        }
        MessageType type = typeOf(datagram[TYPE_OFFSET] & 0xFF);
        if (length != MESSAGE_LENGTH) {
            throw new ProtocolException(LENGTH_OFFSET, type + " of " + length + " bytes: expected " + MESSAGE_LENGTH);
        }
        Instrument instrument = Instrument.fromWireId(datagram[INSTRUMENT_OFFSET] & 0xFF, INSTRUMENT_OFFSET);
        return new MarketData(type, instrument, getU32(datagram, SEQUENCE_OFFSET),
                getLevels(datagram, ASK_PRICES_OFFSET, ASK_VOLUMES_OFFSET),
                getLevels(datagram, BID_PRICES_OFFSET, BID_VOLUMES_OFFSET));
    }

    /**
     * Reads only the message type, e.g. to route a datagram before decoding it.
     *
     * @param datagram one datagram, from its position
     * @return its type
     * @throws ProtocolException when it is too short to hold the type, or the type is neither 10 nor 11
     */
    public static MessageType type(ByteBuffer datagram) {
        return typeOf(byteAt(datagram, TYPE_OFFSET));
    }

    /**
     * Reads only the instrument, e.g. to route a datagram before decoding it.
     *
     * @param datagram one datagram, from its position
     * @return its instrument
     * @throws ProtocolException when it is too short to hold the instrument, or the instrument is unknown
     */
    public static Instrument instrument(ByteBuffer datagram) {
        return Instrument.fromWireId(byteAt(datagram, INSTRUMENT_OFFSET), INSTRUMENT_OFFSET);
    }

    private static int byteAt(ByteBuffer datagram, int offset) {
        if (datagram.remaining() <= offset) {
            throw new ProtocolException(offset, "datagram of " + datagram.remaining() + " bytes ends before offset "
                    + offset + ": expected an " + MESSAGE_LENGTH + "-byte market-data message");
        }
        return datagram.get(datagram.position() + offset) & 0xFF;
    }

    private static MessageType typeOf(int typeId) {
        if (typeId == MessageType.ORDER_BOOK_UPDATE.wireId()) {
            return MessageType.ORDER_BOOK_UPDATE;
        }
        if (typeId == MessageType.TRADE_TICKS.wireId()) {
            return MessageType.TRADE_TICKS;
        }
        throw new ProtocolException(TYPE_OFFSET, "message type " + typeId
                + " does not travel in the market-data feed: expected 10 (ORDER_BOOK_UPDATE) or 11 (TRADE_TICKS)");
    }

    private static void putLevels(byte[] out, int pricesOffset, int volumesOffset, List<Level> levels) {
        for (int i = 0; i < levels.size(); i++) {
            putU32(out, pricesOffset + 4 * i, levels.get(i).price());
            putU32(out, volumesOffset + 4 * i, levels.get(i).volume());
        }
    }

    private static List<Level> getLevels(byte[] in, int pricesOffset, int volumesOffset) {
        List<Level> levels = new ArrayList<>(LEVELS);
        for (int i = 0; i < LEVELS; i++) {
            long price = getU32(in, pricesOffset + 4 * i);
            long volume = getU32(in, volumesOffset + 4 * i);
            if (price == 0 && volume == 0) {
                continue; // unused level
            }
            if (price == 0) {
                throw new ProtocolException(pricesOffset + 4 * i, "level " + i + " has volume " + volume
                        + " at price 0: expected a positive price, or 0 for both in an unused level");
            }
            levels.add(new Level(price, volume));
        }
        return levels;
    }

    private static void putU16(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >>> 8);
        out[offset + 1] = (byte) value;
    }

    private static int getU16(byte[] in, int offset) {
        return (in[offset] & 0xFF) << 8 | in[offset + 1] & 0xFF;
    }

    private static void putU32(byte[] out, int offset, long value) {
        out[offset] = (byte) (value >>> 24);
        out[offset + 1] = (byte) (value >>> 16);
        out[offset + 2] = (byte) (value >>> 8);
        out[offset + 3] = (byte) value;
    }

    private static long getU32(byte[] in, int offset) {
        return (long) (in[offset] & 0xFF) << 24 | (in[offset + 1] & 0xFF) << 16 | (in[offset + 2] & 0xFF) << 8
                | in[offset + 3] & 0xFF;
    }
}
