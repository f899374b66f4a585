package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.FieldType.*;
import static io.github.reactivepubsub.codec.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldTypeTest {

    /** The byte vectors of {@code docs/sessions.md}, section 6, one or more per type of its table. */
    static Stream<Arguments> goldenVectors() {
        return Stream.of(
                Arguments.of(BOOLEAN, true, "01"),
                Arguments.of(BOOLEAN, false, "00"),
                Arguments.of(BYTE, 200, "c8"),
                Arguments.of(SHORT, (short) -2, "fe ff"),
                Arguments.of(SHORT_BE, (short) -2, "ff fe"),
                Arguments.of(UNSIGNED_SHORT, 65534, "fe ff"),
                Arguments.of(UNSIGNED_SHORT_BE, 65534, "ff fe"),
                Arguments.of(INT, -456, "38 fe ff ff"),
                Arguments.of(INT_BE, -456, "ff ff fe 38"),
                Arguments.of(UNSIGNED_INT, 3_000_000_000L, "00 5e d0 b2"),
                Arguments.of(UNSIGNED_INT_BE, 3_000_000_000L, "b2 d0 5e 00"),
                Arguments.of(LONG, 1L, "01 00 00 00 00 00 00 00"),
                Arguments.of(LONG_BE, 1L, "00 00 00 00 00 00 00 01"),
                Arguments.of(UNSIGNED_LONG, Long.MIN_VALUE, "00 00 00 00 00 00 00 80"),
                Arguments.of(UNSIGNED_LONG_BE, Long.MIN_VALUE, "80 00 00 00 00 00 00 00"),
                Arguments.of(CHAR_ASCII, 'A', "41"),
                Arguments.of(CHAR_ISO8859, 'é', "e9"),
                Arguments.of(ASCII_STRING, "OUCH", "04 00 4f 55 43 48"),
                Arguments.of(ASCII_STRING, "", "00 00"),
                Arguments.of(ISO8859_STRING, "Zürich", "06 00 5a fc 72 69 63 68"),
                Arguments.of(fixedAscii(8), "AAPL", "41 41 50 4c 20 20 20 20"),
                Arguments.of(fixedAscii(8, true), "AAPL", "20 20 20 20 41 41 50 4c"),
                Arguments.of(fixedIso(6), "Zürich", "5a fc 72 69 63 68"),
                Arguments.of(fixedIso(8, true), "Zürich", "20 20 5a fc 72 69 63 68"),
                Arguments.of(array(INT_BE), List.of(1, 2), "02 00 00 00 00 01 00 00 00 02"));
    }

    @ParameterizedTest(name = "{0} {1} <-> {2}")
    @MethodSource("goldenVectors")
    <T> void encodesAndDecodesTheGoldenVector(FieldType<T> type, T value, String bytes) {
        assertThat(hex(type.encode(value))).isEqualTo(hex(hex(bytes)));
        ByteBuffer buffer = ByteBuffer.wrap(hex(bytes));
        assertThat(type.decode(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).as("consumed every byte").isFalse();
        assertThat(type.size(value)).isEqualTo(hex(bytes).length);
    }

    @Test
    void spellsTheUnsignedLongOf2To63AsItsUnsignedDecimal() {
        long twoTo63 = UNSIGNED_LONG_BE.decode(ByteBuffer.wrap(hex("80 00 00 00 00 00 00 00")));
        assertThat(Long.toUnsignedString(twoTo63)).isEqualTo("9223372036854775808");
        assertThat(hex(UNSIGNED_LONG.encode(-1L))).isEqualTo("ff ff ff ff ff ff ff ff");
    }

    @Test
    void decodesOnlyByteOneAsTrue() {
        assertThat(BOOLEAN.decode(ByteBuffer.wrap(hex("02")))).isFalse();
        assertThat(BOOLEAN.decode(ByteBuffer.wrap(hex("ff")))).isFalse();
        assertThat(BOOLEAN.decode(ByteBuffer.wrap(hex("01")))).isTrue();
    }

    @Test
    void stripsWhitespaceOnBothSidesOfFixedStrings() {
        assertThat(fixedAscii(8).decode(ByteBuffer.wrap(hex("20 20 41 42 20 43 44 09")))).isEqualTo("AB CD");
        assertThat(fixedAscii(8, true).decode(ByteBuffer.wrap(hex("20 20 41 42 20 43 44 09")))).isEqualTo("AB CD");
        assertThat(fixedAscii(8).decode(ByteBuffer.wrap(hex("0a 0b 0c 0d 1c 1d 1e 1f")))).isEmpty();
        assertThat(fixedIso(4).decode(ByteBuffer.wrap(hex("85 41 a0 20")))).isEqualTo("A");
        // 0x85 and 0xA0 are not ASCII: an ASCII fixed string rejects them rather than stripping them
        assertThatThrownBy(() -> fixedAscii(4).decode(ByteBuffer.wrap(hex("85 41 20 20"))))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void keepsNulInFixedStrings() {
        assertThat(fixedAscii(8).decode(ByteBuffer.wrap(hex("00 41 42 00 20 20 20 20")))).isEqualTo("\u0000AB\u0000");
    }

    @Test
    void decodesAllSpacesAsTheEmptyStringAndEncodesTheEmptyStringAsSpaces() {
        assertThat(fixedAscii(4).decode(ByteBuffer.wrap(hex("20 20 20 20")))).isEmpty();
        assertThat(hex(fixedAscii(4).encode(""))).isEqualTo("20 20 20 20");
    }

    @Test
    void readsAndWritesTheSameBytesWhateverTheBufferByteOrderAndKind() {
        for (ByteBuffer buffer : List.of(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN),
                ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN), ByteBuffer.allocateDirect(8))) {
            INT.encode(-456, buffer);
            INT_BE.encode(-456, buffer);
            buffer.flip();
            byte[] written = new byte[8];
            buffer.duplicate().get(written);
            assertThat(hex(written)).isEqualTo("38 fe ff ff ff ff fe 38");
            assertThat(INT.decode(buffer)).isEqualTo(-456);
            assertThat(INT_BE.decode(buffer)).isEqualTo(-456);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(8).put(hex("06 00 5a fc 72 69 63 68")).flip();
        assertThat(ISO8859_STRING.decode(direct)).isEqualTo("Zürich");
    }

    @Test
    void encodesDefaultsForNullStringsAndArrays() {
        assertThat(hex(ASCII_STRING.encode(null))).isEqualTo("00 00");
        assertThat(hex(array(INT_BE).encode(null))).isEqualTo("00 00");
        assertThat(CHAR_ASCII.defaultValue()).isEqualTo(' ');
        assertThat(ASCII_STRING.defaultValue()).isEmpty();
        assertThat(UNSIGNED_LONG.defaultValue()).isZero();
        assertThat(BOOLEAN.defaultValue()).isFalse();
    }

    @Nested
    class RoundTrips {

        private final SplittableRandom random = new SplittableRandom(42);

        private <T> void roundTrip(FieldType<T> type, T value) {
            byte[] bytes = type.encode(value);
            assertThat(bytes).hasSize(type.size(value));
            assertThat(type.decode(ByteBuffer.wrap(bytes))).as("%s %s", type, value).isEqualTo(value);
        }

        private <T> void roundTripRange(FieldType<T> type, long min, long max, LongFunction<T> box) {
            roundTrip(type, box.apply(min));
            roundTrip(type, box.apply(max));
            roundTrip(type, box.apply(0));
            for (int i = 0; i < 1_000; i++) {
                long v = min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min, max == Long.MAX_VALUE
                        ? max : max + 1);
                roundTrip(type, box.apply(v));
            }
        }

        @Test
        void signedAndUnsignedIntegersKeepEveryValueOfTheirRangeIncludingMinAndMax() {
            for (FieldType<Short> t : List.of(SHORT, SHORT_BE)) {
                roundTripRange(t, Short.MIN_VALUE, Short.MAX_VALUE, v -> (short) v);
            }
            for (FieldType<Integer> t : List.of(INT, INT_BE)) {
                roundTripRange(t, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);
            }
            for (FieldType<Integer> t : List.of(UNSIGNED_SHORT, UNSIGNED_SHORT_BE)) {
                roundTripRange(t, 0, 0xFFFF, v -> (int) v);
            }
            roundTripRange(BYTE, 0, 0xFF, v -> (int) v);
            for (FieldType<Long> t : List.of(UNSIGNED_INT, UNSIGNED_INT_BE)) {
                roundTripRange(t, 0, 0xFFFF_FFFFL, v -> v);
            }
            for (FieldType<Long> t : List.of(LONG, LONG_BE, UNSIGNED_LONG, UNSIGNED_LONG_BE)) {
                roundTripRange(t, Long.MIN_VALUE, Long.MAX_VALUE, v -> v);
            }
        }

        @Test
        void checklistValuesMinus456ZeroAnd456RoundTripInBothByteOrders() {
            for (int v : new int[] {-456, 0, 456}) {
                roundTrip(SHORT, (short) v);
                roundTrip(SHORT_BE, (short) v);
                roundTrip(INT, v);
                roundTrip(INT_BE, v);
                roundTrip(LONG, (long) v);
                roundTrip(LONG_BE, (long) v);
            }
            for (int v : new int[] {0, 456}) {
                roundTrip(UNSIGNED_SHORT, v);
                roundTrip(UNSIGNED_SHORT_BE, v);
                roundTrip(UNSIGNED_INT, (long) v);
                roundTrip(UNSIGNED_INT_BE, (long) v);
            }
        }

        @Test
        void charactersAndStringsKeepEveryCharacterOfTheirCharset() {
            for (char c = 0; c <= 0x7F; c++) {
                roundTrip(CHAR_ASCII, c);
            }
            for (char c = 0; c <= 0xFF; c++) {
                roundTrip(CHAR_ISO8859, c);
            }
            for (int i = 0; i < 500; i++) {
                roundTrip(ASCII_STRING, randomString(random.nextInt(0, 40), 0x7F));
                roundTrip(ISO8859_STRING, randomString(random.nextInt(0, 40), 0xFF));
            }
            roundTrip(ASCII_STRING, "x".repeat(Short.MAX_VALUE));
            roundTrip(fixedAscii(5), "A B");
            roundTrip(fixedIso(5, true), "é\u0000");
        }

        private String randomString(int length, int maxChar) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < length; i++) {
                s.append((char) random.nextInt(0, maxChar + 1));
            }
            return s.toString();
        }

        @Test
        void arraysKeepTheirItemsInOrder() {
            roundTrip(array(ASCII_STRING), List.of("a", "", "bc"));
            roundTrip(array(UNSIGNED_INT_BE, BYTE), List.of(0L, 0xFFFF_FFFFL));
            roundTrip(array(array(BOOLEAN), INT), List.of(List.of(true, false), List.of()));
        }
    }

    @Nested
    class EncodeRejects {

        @Test
        void numbersOutsideTheRangeNamingValueAndRange() {
            assertThatThrownBy(() -> BYTE.encode(256)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Byte: value 256 out of range 0..255");
            assertThatThrownBy(() -> BYTE.encode(-1)).hasMessage("Byte: value -1 out of range 0..255");
            assertThatThrownBy(() -> UNSIGNED_SHORT_BE.encode(65536))
                    .hasMessage("UnsignedShortBE: value 65536 out of range 0..65535");
            assertThatThrownBy(() -> UNSIGNED_SHORT.encode(-1))
                    .hasMessage("UnsignedShort: value -1 out of range 0..65535");
            assertThatThrownBy(() -> UNSIGNED_INT.encode(0x1_0000_0000L))
                    .hasMessage("UnsignedInt: value 4294967296 out of range 0..4294967295");
            assertThatThrownBy(() -> UNSIGNED_INT_BE.encode(-1L))
                    .hasMessage("UnsignedIntBE: value -1 out of range 0..4294967295");
        }

        @Test
        void nonAsciiCharactersInAsciiTypes() {
            assertThatThrownBy(() -> CHAR_ASCII.encode('é')).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("CharAscii: character 'é' (U+00E9) is not ASCII (expected U+0000..U+007F)");
            assertThatThrownBy(() -> ASCII_STRING.encode("Zürich"))
                    .hasMessage("AsciiString: character 'ü' (U+00FC) at index 1 is not ASCII"
                            + " (expected U+0000..U+007F)");
            assertThatThrownBy(() -> fixedAscii(8).encode("Zürich"))
                    .hasMessageContaining("at index 1 is not ASCII");
            assertThatThrownBy(() -> CHAR_ISO8859.encode('€'))
                    .hasMessage("CharIso8859: character '€' (U+20AC) is not ISO-8859-1 (expected U+0000..U+00FF)");
            assertThatThrownBy(() -> ISO8859_STRING.encode("5€")).hasMessageContaining("index 1");
        }

        @Test
        void stringsLongerThanTheirFieldOrPrefix() {
            assertThatThrownBy(() -> fixedAscii(4).encode("AAPLX")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("FixedAsciiString(4): \"AAPLX\" has 5 characters, more than the field's 4");
            assertThatThrownBy(() -> ASCII_STRING.encode("x".repeat(32768)))
                    .hasMessage("AsciiString: length 32768 out of range 0..32767");
            assertThatThrownBy(() -> array(BOOLEAN, BYTE).encode(java.util.Collections.nCopies(256, true)))
                    .hasMessage("Array(Boolean, count Byte): 256 items, more than the Byte count allows (0..255)");
        }

        @Test
        void valuesOfTheWrongJavaType() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            FieldType<Object> raw = (FieldType) INT_BE;
            assertThatThrownBy(() -> raw.encode("12")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("IntBE: expected a Integer, got a java.lang.String (12)");
            @SuppressWarnings({"unchecked", "rawtypes"})
            FieldType<List<Object>> items = (FieldType) array(INT_BE);
            assertThatThrownBy(() -> items.encode(List.of(1, 2L))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a Integer, got a java.lang.Long (2)");
        }

        @Test
        void aBufferTooSmallWithoutWritingAnything() {
            ByteBuffer small = ByteBuffer.allocate(3);
            assertThatThrownBy(() -> INT.encode(1, small)).isInstanceOf(BufferOverflowException.class);
            assertThat(small.position()).isZero();
        }

        @Test
        void leavesThePositionUnchangedWhenAValueIsRejectedMidWay() {
            ByteBuffer out = ByteBuffer.allocate(16);
            assertThatThrownBy(() -> fixedAscii(8).encode("ABCé", out)).isInstanceOf(IllegalArgumentException.class);
            assertThat(out.position()).isZero();
        }

        @Test
        void fixedStringsOfNoWidth() {
            assertThatThrownBy(() -> fixedAscii(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("FixedAsciiString: length 0 must be at least 1");
        }
    }

    @Nested
    class DecodeRejects {

        @Test
        void shortInputWithTheOffsetAndTheBytesExpected() {
            ByteBuffer buffer = ByteBuffer.wrap(hex("01 02 03"));
            assertThatThrownBy(() -> INT_BE.decode(buffer)).isInstanceOfSatisfying(ProtocolException.class,
                    e -> {
                        assertThat(e.offset()).isZero();
                        assertThat(e).hasMessage("IntBE: expected 4 bytes, found 3 (at offset 0)");
                    });
            assertThat(buffer.position()).as("position restored").isZero();
            assertThatThrownBy(() -> BOOLEAN.decode(ByteBuffer.allocate(0)))
                    .hasMessage("Boolean: expected 1 byte, found 0 (at offset 0)");
            assertThatThrownBy(() -> fixedAscii(8).decode(ByteBuffer.wrap(hex("41 41"))))
                    .hasMessage("FixedAsciiString(8): expected 8 bytes, found 2 (at offset 0)");
        }

        @Test
        void nonAsciiBytesInAsciiTypesAtTheirOffset() {
            assertThatThrownBy(() -> CHAR_ASCII.decode(ByteBuffer.wrap(hex("e9"))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isZero())
                    .hasMessage("CharAscii: byte 0xe9 is not ASCII (expected 0x00..0x7f) (at offset 0)");
            assertThatThrownBy(() -> ASCII_STRING.decode(ByteBuffer.wrap(hex("03 00 41 fc 42"))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(3));
            assertThatThrownBy(() -> fixedAscii(4).decode(ByteBuffer.wrap(hex("41 42 43 80"))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(3));
        }

        @Test
        void negativeAndOverlongLengthPrefixes() {
            assertThatThrownBy(() -> ASCII_STRING.decode(ByteBuffer.wrap(hex("ff ff 41"))))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("AsciiString: negative length prefix -1 (expected 0..32767) (at offset 0)");
            assertThatThrownBy(() -> ISO8859_STRING.decode(ByteBuffer.wrap(hex("05 00 41 42"))))
                    .hasMessage("Iso8859String: length prefix claims 5 characters, only 2 bytes follow (at offset 0)");
            assertThatThrownBy(() -> array(INT_BE).decode(ByteBuffer.wrap(hex("ff ff"))))
                    .hasMessage("Array(IntBE): item count -1 out of range 0..32767 (at offset 0)");
            assertThatThrownBy(() -> array(INT_BE).decode(ByteBuffer.wrap(hex("03 00 00 00 00 01"))))
                    .hasMessage("Array(IntBE): count claims 3 items of at least 4 bytes each, only 4 bytes follow"
                            + " (at offset 0)");
        }

        @Test
        void offsetsAreRelativeToThePositionOnEntry() {
            ByteBuffer buffer = ByteBuffer.wrap(hex("99 99 02 00 41"));
            buffer.position(2);
            assertThatThrownBy(() -> ASCII_STRING.decode(buffer))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isZero());
            assertThat(buffer.position()).isEqualTo(2);
        }
    }

    @Test
    void arraysRejectItemTypesThatCanBeEmptyAndNonIntegerCounts() {
        record Empty() {
        }
        RecordDefinition<Empty> empty = RecordDefinition.builder(Empty.class).build();
        assertThatThrownBy(() -> array(record(empty))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("items may be 0 bytes long");
        assertThatThrownBy(() -> array(INT, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Array(Int): count type Long is not an integer type of at most 32 bits");
    }
}
