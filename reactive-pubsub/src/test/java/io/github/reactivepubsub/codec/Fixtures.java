package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.FieldType.ASCII_STRING;
import static io.github.reactivepubsub.codec.FieldType.CHAR_ASCII;
import static io.github.reactivepubsub.codec.FieldType.INT_BE;
import static io.github.reactivepubsub.codec.FieldType.LONG_BE;
import static io.github.reactivepubsub.codec.FieldType.UNSIGNED_INT_BE;
import static io.github.reactivepubsub.codec.FieldType.UNSIGNED_SHORT_BE;

import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Hex helpers and the realistic message definitions shared by the codec tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Parses hex with optional spaces, e.g. {@code "4f 00 01"}. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    // ---- the example message of docs/sessions.md, section 7 ----

    record SpecOrder(long orderToken, int orderBookId, char side, String name, String note) {
    }

    static final RecordDefinition<SpecOrder> SPEC_ORDER_BODY = RecordDefinition.builder(SpecOrder.class)
            .field("orderToken", LONG_BE)
            .field("orderBookId", INT_BE)
            .field("side", CHAR_ASCII)
            .field("name", FieldType.fixedAscii(4))
            .field("note", ASCII_STRING)
            .build();

    static final MessageDefinition<SpecOrder> SPEC_ORDER = MessageDefinition.of('O', SPEC_ORDER_BODY);

    // ---- ITCH 5.0-like Add Order: 36 bytes on the wire ----

    /**
     * ITCH 5.0 Add Order ('A'). The 48-bit timestamp (nanoseconds since midnight) is carried as its high 16 bits
     * and low 32 bits, so the wire bytes are exactly ITCH's with only the field types of docs/sessions.md.
     */
    record AddOrder(int stockLocate, int trackingNumber, int timestampHigh, long timestampLow, long orderReference,
            char side, long shares, String stock, long price) {
    }

    /** The header every ITCH 5.0 message starts with after its indicator. */
    private static <R extends Record> RecordDefinition.Builder<R> itchHeader(Class<R> type) {
        return RecordDefinition.builder(type)
                .field("stockLocate", UNSIGNED_SHORT_BE)
                .field("trackingNumber", UNSIGNED_SHORT_BE)
                .field("timestampHigh", UNSIGNED_SHORT_BE)
                .field("timestampLow", UNSIGNED_INT_BE);
    }

    static final MessageDefinition<AddOrder> ADD_ORDER = MessageDefinition.of('A',
            itchHeader(AddOrder.class)
                    .field("orderReference", FieldType.UNSIGNED_LONG_BE)
                    .field("side", CHAR_ASCII)
                    .field("shares", UNSIGNED_INT_BE)
                    .field("stock", FieldType.fixedAscii(8))
                    .field("price", UNSIGNED_INT_BE)
                    .build());

    /** ITCH System Event ('S'): shares the outgoing ITCH registry with Add Order. */
    record SystemEvent(int stockLocate, int trackingNumber, int timestampHigh, long timestampLow, char eventCode) {
    }

    static final MessageDefinition<SystemEvent> SYSTEM_EVENT = MessageDefinition.of('S',
            itchHeader(SystemEvent.class)
                    .field("eventCode", CHAR_ASCII)
                    .build());

    static final MessageRegistry ITCH = MessageRegistry.builder("ITCH", MessageRegistry.Direction.OUTGOING)
            .register(ADD_ORDER, SYSTEM_EVENT)
            .build();

    // ---- OUCH 4.2-like Enter Order, with a present-bit record and an array to exercise both ----

    record Firm(String mpid, boolean display) {
    }

    record Tag(short key, String value) {
    }

    /** OUCH 4.2 Enter Order ('O') plus an optional firm block and a list of tags (extensions of ours). */
    record EnterOrder(String orderToken, char side, long shares, String stock, long price, long timeInForce,
            String firm, char display, char capacity, char intermarketSweep, long minimumQuantity,
            char crossType, char customerType, @Nullable Firm giveUp, List<Tag> tags) {
    }

    static final RecordDefinition<Firm> FIRM = RecordDefinition.builder(Firm.class)
            .field("mpid", FieldType.fixedAscii(4))
            .field("display", FieldType.BOOLEAN)
            .build();

    static final RecordDefinition<Tag> TAG = RecordDefinition.builder(Tag.class)
            .field("key", FieldType.SHORT_BE)
            .field("value", FieldType.ISO8859_STRING)
            .build();

    static final MessageDefinition<EnterOrder> ENTER_ORDER = MessageDefinition.of('O',
            RecordDefinition.builder(EnterOrder.class)
                    .field("orderToken", FieldType.fixedAscii(14))
                    .field("side", CHAR_ASCII)
                    .field("shares", UNSIGNED_INT_BE)
                    .field("stock", FieldType.fixedAscii(8))
                    .field("price", UNSIGNED_INT_BE)
                    .field("timeInForce", UNSIGNED_INT_BE)
                    .field("firm", FieldType.fixedAscii(4))
                    .field("display", CHAR_ASCII)
                    .field("capacity", CHAR_ASCII)
                    .field("intermarketSweep", CHAR_ASCII)
                    .field("minimumQuantity", UNSIGNED_INT_BE)
                    .field("crossType", CHAR_ASCII)
                    .field("customerType", CHAR_ASCII)
                    .field("giveUp", FieldType.optional(FIRM))
                    .field("tags", FieldType.array(FieldType.record(TAG)))
                    .build());

    /** OUCH Cancel Order ('X'). */
    record CancelOrder(String orderToken, long shares) {
    }

    static final MessageDefinition<CancelOrder> CANCEL_ORDER = MessageDefinition.of('X',
            RecordDefinition.builder(CancelOrder.class)
                    .field("orderToken", FieldType.fixedAscii(14))
                    .field("shares", UNSIGNED_INT_BE)
                    .build());

    static final MessageRegistry OUCH_IN = MessageRegistry.builder("OUCH", MessageRegistry.Direction.INCOMING)
            .register(ENTER_ORDER, CANCEL_ORDER)
            .build();

    static AddOrder sampleAddOrder() {
        return new AddOrder(8007, 0, 0x1234, 0x5678_9abcL, 0x0102_0304_0506_0708L, 'B', 100, "AAPL", 1_502_500);
    }

    static EnterOrder sampleEnterOrder() {
        return new EnterOrder("ORD0001", 'B', 300, "MSFT", 3_301_500, 99_999, "FIRM", 'Y', 'A', 'N', 0, 'N', 'R',
                new Firm("GIVE", true), List.of(new Tag((short) 7, "Zürich"), new Tag((short) -1, "")));
    }
}
