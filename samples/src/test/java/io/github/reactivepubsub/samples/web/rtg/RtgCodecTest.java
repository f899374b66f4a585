package io.github.reactivepubsub.samples.web.rtg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtgCodecTest {

    /**
     * The slot payload of the ORDER_BOOK_UPDATE of {@code docs/shared-memory.md}, section 1, "Byte vectors": ETF,
     * sequence 7.
     */
    private static final String BOOK_GOLDEN = ""
            + "0058 0a 01 00000007"
            + "00002774 000027d8 0000283c 00000000 00000000"
            + "00000005 0000000a 0000000f 00000000 00000000"
            + "00002710 000026ac 00000000 00000000 00000000"
            + "00000014 0000001e 00000000 00000000 00000000";

    /** The same section's TRADE_TICKS: FUTURE, sequence 2, one ask tick 101.00 x 3. */
    private static final String TICKS_GOLDEN = "00580b00 00000002 00002774" + "00".repeat(16) + "00000003"
            + "00".repeat(56);

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @Test
    void encodesTheOrderBookGoldenVector() {
        MarketData book = new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.ETF, 7,
                List.of(new Level(10100, 5), new Level(10200, 10), new Level(10300, 15)),
                List.of(new Level(10000, 20), new Level(9900, 30)));

        assertThat(RtgCodec.encode(book)).hasSize(88).isEqualTo(hex(BOOK_GOLDEN));
        assertThat(RtgCodec.decode(hex(BOOK_GOLDEN))).isEqualTo(book);
    }

    @Test
    void encodesTheTradeTicksGoldenVector() {
        MarketData ticks = new MarketData(MessageType.TRADE_TICKS, Instrument.FUTURE, 2,
                List.of(new Level(10100, 3)), List.of());

        assertThat(RtgCodec.encode(ticks)).isEqualTo(hex(TICKS_GOLDEN));
        assertThat(RtgCodec.decode(hex(TICKS_GOLDEN))).isEqualTo(ticks);
    }

    @Test
    void roundTripsUnsigned32BitExtremes() {
        MarketData max = new MarketData(MessageType.TRADE_TICKS, Instrument.ETF, RtgCodec.U32_MAX,
                List.of(new Level(RtgCodec.U32_MAX, RtgCodec.U32_MAX)), List.of(new Level(1, 0)));

        byte[] bytes = RtgCodec.encode(max);

        assertThat(bytes[4]).isEqualTo((byte) 0xFF);
        assertThat(RtgCodec.decode(bytes)).isEqualTo(max);
    }

    @Test
    void rejectsADatagramShorterThanTheHeader() {
        assertThatThrownBy(() -> RtgCodec.decode(new byte[] {0, 88}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("2 bytes is shorter than the 3-byte message header");
    }

    @Test
    void rejectsAHeaderLengthThatDiffersFromTheDatagram() {
        byte[] truncated = new byte[87];
        System.arraycopy(hex(BOOK_GOLDEN), 0, truncated, 0, 87);

        assertThatThrownBy(() -> RtgCodec.decode(truncated))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("header length 88 differs from the datagram's 87 bytes");
    }

    @Test
    void rejectsTypesThatDoNotTravelInTheFeed() {
        byte[] insertOrder = {0, 3, 4};

        assertThatThrownBy(() -> RtgCodec.decode(insertOrder))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("message type 4 does not travel in the market-data feed")
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(2);
    }

    @Test
    void rejectsAMarketDataMessageOfTheWrongLength() {
        byte[] shortBook = {0, 4, 10, 1};

        assertThatThrownBy(() -> RtgCodec.decode(shortBook))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ORDER_BOOK_UPDATE of 4 bytes: expected 88");
    }

    @Test
    void rejectsAnUnknownInstrument() {
        byte[] bytes = hex(BOOK_GOLDEN);
        bytes[3] = 2;

        assertThatThrownBy(() -> RtgCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown instrument 2: expected 0 (FUTURE) or 1 (ETF)");
    }

    @Test
    void rejectsVolumeAtPriceZero() {
        byte[] bytes = hex(BOOK_GOLDEN);
        bytes[RtgCodec.BID_VOLUMES_OFFSET + 4 * 4 + 3] = 9;

        assertThatThrownBy(() -> RtgCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("level 4 has volume 9 at price 0");
    }

    @Test
    void refusesMoreThanFiveLevelsASide() {
        List<Level> six = List.of(new Level(1, 1), new Level(2, 1), new Level(3, 1), new Level(4, 1),
                new Level(5, 1), new Level(6, 1));

        assertThatThrownBy(() -> new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.ETF, 1, six, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 5 levels a side, got 6 asks");
    }

    @Test
    void readsTypeAndInstrumentAloneFromTheBufferPosition() {
        ByteBuffer framed = ByteBuffer.allocate(100).position(5);
        framed.put(hex(BOOK_GOLDEN)).position(5);

        assertThat(RtgCodec.type(framed)).isEqualTo(MessageType.ORDER_BOOK_UPDATE);
        assertThat(RtgCodec.instrument(framed)).isEqualTo(Instrument.ETF);
        assertThat(RtgCodec.type(ByteBuffer.wrap(hex(TICKS_GOLDEN)))).isEqualTo(MessageType.TRADE_TICKS);
        assertThat(RtgCodec.instrument(ByteBuffer.wrap(hex(TICKS_GOLDEN)))).isEqualTo(Instrument.FUTURE);
    }

    @Test
    void typeAndInstrumentRejectShortAndUnknownDatagrams() {
        assertThatThrownBy(() -> RtgCodec.instrument(ByteBuffer.wrap(new byte[] {0, 3, 10})))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("datagram of 3 bytes ends before offset 3");
        assertThatThrownBy(() -> RtgCodec.type(ByteBuffer.wrap(new byte[] {0, 4, 2, 0})))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("message type 2 does not travel in the market-data feed");
    }
}
