package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.Fixtures.SPEC_ORDER;
import static io.github.reactivepubsub.codec.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Fixtures.AddOrder;
import io.github.reactivepubsub.codec.Fixtures.SpecOrder;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RecordDefinitionTest {

    @Test
    void encodesAndDecodesTheSpecExampleMessage() {
        SpecOrder order = new SpecOrder(1, 456, 'B', "AB", "hi");
        String wire = "4f 00 00 00 00 00 00 00 01 00 00 01 c8 42 41 42 20 20 02 00 68 69";
        assertThat(hex(SPEC_ORDER.encode(order))).isEqualTo(wire);
        assertThat(SPEC_ORDER.decode(ByteBuffer.wrap(hex(wire)))).isEqualTo(order);
    }

    @Test
    void encodesFieldsNeverSetAsTheirTypeDefaults() {
        String wire = "4f" + " 00".repeat(12) + " 20 20 20 20 20 00 00";
        assertThat(hex(SPEC_ORDER.encode(SPEC_ORDER.body().defaults()))).isEqualTo(wire);
        assertThat(SPEC_ORDER.body().defaults()).isEqualTo(new SpecOrder(0, 0, ' ', "", ""));
        // null strings are fields never set too
        assertThat(hex(SPEC_ORDER.encode(new SpecOrder(0, 0, ' ', null, null)))).isEqualTo(wire);
    }

    @Test
    void leavesBytesAfterTheLastFieldInTheBuffer() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("4f" + " 00".repeat(12) + " 20 20 20 20 20 00 00 ee ff"));
        SPEC_ORDER.decode(buffer);
        assertThat(buffer.remaining()).isEqualTo(2);
    }

    @Test
    void writesFieldsInTheOrderTheyWereDefinedNotInComponentOrder() {
        record Pair(int first, short second) {
        }
        RecordDefinition<Pair> reversed = RecordDefinition.builder(Pair.class)
                .field("second", FieldType.SHORT_BE)
                .field("first", FieldType.INT_BE)
                .build();
        assertThat(hex(reversed.encode(new Pair(1, (short) 2)))).isEqualTo("00 02 00 00 00 01");
        assertThat(reversed.decode(ByteBuffer.wrap(hex("00 02 00 00 00 01")))).isEqualTo(new Pair(1, (short) 2));
        assertThat(reversed.fieldNames()).containsExactly("second", "first");
    }

    record Inner(int value, String label) {
    }

    record Outer(byte[] unused, Inner inner) {
    }

    record WithOptional(char kind, @Nullable Inner inner, int after) {
    }

    static final RecordDefinition<Inner> INNER = RecordDefinition.builder(Inner.class)
            .field("value", FieldType.INT_BE)
            .field("label", FieldType.ASCII_STRING)
            .build();

    static final RecordDefinition<WithOptional> WITH_OPTIONAL = RecordDefinition.builder(WithOptional.class)
            .field("kind", FieldType.CHAR_ASCII)
            .field("inner", FieldType.optional(INNER))
            .field("after", FieldType.BYTE)
            .build();

    @Nested
    class PresentBitRecords {

        @Test
        void writeOneThenTheFieldsWhenPresent() {
            WithOptional present = new WithOptional('P', new Inner(7, "x"), 9);
            assertThat(hex(WITH_OPTIONAL.encode(present))).isEqualTo("50 01 00 00 00 07 01 00 78 09");
            assertThat(WITH_OPTIONAL.decode(ByteBuffer.wrap(hex("50 01 00 00 00 07 01 00 78 09"))))
                    .isEqualTo(present);
        }

        @Test
        void writeJustZeroWhenAbsent() {
            WithOptional absent = new WithOptional('A', null, 9);
            assertThat(hex(WITH_OPTIONAL.encode(absent))).isEqualTo("41 00 09");
            assertThat(WITH_OPTIONAL.decode(ByteBuffer.wrap(hex("41 00 09")))).isEqualTo(absent);
            assertThat(WITH_OPTIONAL.defaults()).isEqualTo(new WithOptional(' ', null, 0));
        }

        @Test
        void readAnyPresentByteOtherThanOneAsAbsentLikeBoolean() {
            assertThat(WITH_OPTIONAL.decode(ByteBuffer.wrap(hex("41 02 09")))).isEqualTo(new WithOptional('A',
                    null, 9));
        }
    }

    @Nested
    class NestedRecordsAndArrays {

        record Basket(List<Inner> items, Inner total) {
        }

        private final RecordDefinition<Basket> basket = RecordDefinition.builder(Basket.class)
                .field("items", FieldType.array(FieldType.record(INNER), FieldType.UNSIGNED_SHORT_BE))
                .field("total", FieldType.record(INNER))
                .build();

        @Test
        void concatenateNestedFieldsAndPrefixArraysWithTheirCount() {
            Basket b = new Basket(List.of(new Inner(1, "a"), new Inner(2, "")), new Inner(3, "t"));
            String wire = "00 02" + " 00 00 00 01 01 00 61" + " 00 00 00 02 00 00" + " 00 00 00 03 01 00 74";
            assertThat(hex(basket.encode(b))).isEqualTo(wire);
            assertThat(basket.decode(ByteBuffer.wrap(hex(wire)))).isEqualTo(b);
            assertThat(basket.size(b)).isEqualTo(hex(wire).length);
        }

        @Test
        void encodeANullNestedRecordAndANullArrayAsDefaults() {
            assertThat(hex(basket.encode(new Basket(null, null)))).isEqualTo("00 00 00 00 00 00 00 00");
            assertThat(basket.defaults()).isEqualTo(new Basket(List.of(), new Inner(0, "")));
        }

        @Test
        void decodeUnmodifiableLists() {
            Basket b = basket.decode(ByteBuffer.wrap(hex("00 01 00 00 00 01 00 00 00 00 00 00 00 00")));
            assertThatThrownBy(() -> b.items().add(new Inner(0, ""))).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class DefinitionErrors {

        record Prices(int price, List<Long> history) {
        }

        @Test
        void namingAComponentTheRecordDoesNotHave() {
            assertThatThrownBy(() -> RecordDefinition.builder(Prices.class).field("prize", FieldType.INT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("field 'Prices.prize': record")
                    .hasMessageContaining("has no component 'prize'; its components are [price, history]");
        }

        @Test
        void bindingAFieldTypeOfAnotherJavaType() {
            assertThatThrownBy(() -> RecordDefinition.builder(Prices.class).field("price", FieldType.UNSIGNED_INT_BE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'Prices.price': UnsignedIntBE reads a long, but record component 'price' is"
                            + " a int");
            assertThatThrownBy(() -> RecordDefinition.builder(Prices.class).field("price", FieldType.ASCII_STRING))
                    .hasMessageContaining("AsciiString reads a java.lang.String");
            assertThatThrownBy(() -> RecordDefinition.builder(Prices.class)
                    .field("history", FieldType.array(FieldType.INT_BE)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'Prices.history': Array(IntBE) holds java.lang.Integer items, but record"
                            + " component 'history' is java.util.List<java.lang.Long>");
            assertThatThrownBy(() -> RecordDefinition.builder(Outer.class).field("inner",
                    FieldType.record(RecordDefinitionTest.WITH_OPTIONAL)))
                    .hasMessageContaining("reads a " + WithOptional.class.getName());
        }

        @Test
        void bindingAComponentTwiceOrNotAtAll() {
            RecordDefinition.Builder<Prices> once = RecordDefinition.builder(Prices.class).field("price",
                    FieldType.INT);
            assertThatThrownBy(() -> once.field("price", FieldType.INT_BE)).isInstanceOf(
                    IllegalArgumentException.class).hasMessage("field 'Prices.price' is bound twice");
            assertThatThrownBy(once::build).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("components [history] are bound to no field");
        }
    }

    @Nested
    class Errors {

        @Test
        void truncatedInputNamesTheFieldAndItsOffsetFromTheIndicator() {
            byte[] full = Fixtures.ADD_ORDER.encode(Fixtures.sampleAddOrder());
            ByteBuffer truncated = ByteBuffer.wrap(full, 0, 34);
            assertThatThrownBy(() -> Fixtures.ADD_ORDER.decode(truncated))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(32))
                    .hasMessage("field 'AddOrder.price' (UnsignedIntBE): expected 4 bytes, found 2 (at offset 32)");
            assertThat(truncated.position()).isZero();
        }

        @Test
        void outOfRangeValuesNameTheFieldValueAndRange() {
            AddOrder bad = new AddOrder(8007, 0, 0, 0, 1, 'B', -1, "AAPL", 1);
            ByteBuffer out = ByteBuffer.allocate(64);
            assertThatThrownBy(() -> Fixtures.ADD_ORDER.encode(bad, out)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'AddOrder.shares' (UnsignedIntBE): value -1 out of range 0..4294967295");
            assertThat(out.position()).isZero();
            assertThatThrownBy(() -> Fixtures.ADD_ORDER.encode(new AddOrder(70_000, 0, 0, 0, 1, 'B', 1, "AAPL", 1)))
                    .hasMessage("field 'AddOrder.stockLocate' (UnsignedShortBE): value 70000 out of range 0..65535");
            assertThatThrownBy(() -> Fixtures.ADD_ORDER.encode(new AddOrder(1, 0, 0, 0, 1, 'B', 1, "ALPHABETS", 1)))
                    .hasMessage("field 'AddOrder.stock' (FixedAsciiString(8)): \"ALPHABETS\" has 9 characters,"
                            + " more than the field's 8");
        }

        record Positive(int value) {
            Positive {
                if (value <= 0) {
                    throw new IllegalArgumentException("value must be positive: " + value);
                }
            }
        }

        @Test
        void aConstructorRejectingDecodedValuesIsAProtocolError() {
            RecordDefinition<Positive> positive = RecordDefinition.builder(Positive.class)
                    .field("value", FieldType.INT_BE)
                    .build();
            assertThat(positive.decode(ByteBuffer.wrap(hex("00 00 00 05")))).isEqualTo(new Positive(5));
            assertThatThrownBy(() -> positive.decode(ByteBuffer.wrap(hex("ff ff ff ff"))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(4))
                    .hasMessageContaining("record Positive rejected the decoded field values")
                    .hasMessageContaining("value must be positive: -1")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(positive::defaults).isInstanceOf(IllegalStateException.class)
                    .hasMessage("record Positive rejects its default field values");
        }

        record Named(int value) {
            Named {
                if (value < 0) {
                    throw new IllegalArgumentException("bad\r\nINFO forged " + value);
                }
            }
        }

        @Test
        void aRejectionQuotingDecodedTextIsEscapedInTheProtocolError() {
            RecordDefinition<Named> named = RecordDefinition.builder(Named.class).field("value", FieldType.INT_BE)
                    .build();
            assertThatThrownBy(() -> named.decode(ByteBuffer.wrap(hex("ff ff ff ff"))))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("java.lang.IllegalArgumentException: bad\\r\\nINFO forged -1")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
