package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyTest {

    @Nested
    class Parsing {

        @Test
        void parseAndFormatRoundTrip() {
            Key key = Key.parse("NASDAQ.trade.GOOGL");
            assertThat(key.segments()).containsExactly("NASDAQ", "trade", "GOOGL");
            assertThat(key).hasToString("NASDAQ.trade.GOOGL").isEqualTo(Key.of("NASDAQ", "trade", "GOOGL"));
            assertThat(key.hashCode()).isEqualTo(Key.of("NASDAQ", "trade", "GOOGL").hashCode());
            assertThat(key.isPattern()).isFalse();
            assertThat(Key.parse("*.trade.**").isPattern()).isTrue();
        }

        @Test
        void emptyKeyIsRejected() {
            assertThatThrownBy(() -> Key.parse("")).isInstanceOf(InvalidKeyException.class).hasMessageContaining("empty key");
            assertThatThrownBy(() -> Key.of()).isInstanceOf(InvalidKeyException.class).hasMessageContaining("at least one segment");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "a..b   | empty segment 1 of 'a..b'",
            ".a     | empty segment 0 of '.a'",
            "a.     | empty segment 1 of 'a.'",
            "a.**.b | '**' in segment 1 of 'a.**.b' must be the last segment",
            "GOO*   | 'GOO*' in segment 0 of 'GOO*': a wildcard must be a whole segment",
            "a.b*c  | 'b*c' in segment 1",
        })
        void malformedKeysAreRejectedWithTheirPosition(String text, String message) {
            assertThatThrownBy(() -> Key.parse(text)).isInstanceOf(InvalidKeyException.class).hasMessageContaining(message);
        }

        @Test
        void segmentWithSeparatorIsRejected() {
            assertThatThrownBy(() -> Key.of("a.b")).isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("'a.b' in segment 0").hasMessageContaining("separator");
        }

        @Test
        void whitespaceAndControlCharactersAreRejectedWithoutEchoingThem() {
            for (String text : new String[] {"a b", "a.b\r\nINFO forged", "a.\tb", "x\u0000", "a.b\u2028c", "\u00a0"}) {
                assertThatThrownBy(() -> Key.parse(text)).as("%s", text.codePoints().boxed().toList())
                        .isInstanceOf(InvalidKeyException.class)
                        .hasMessageContaining("must not contain whitespace or control characters")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n", "\t", "\u0000"));
            }
            assertThatThrownBy(() -> Key.of("a", "b c")).isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("segment 1 has the character U+0020 at index 1");
            assertThat(Key.parse("caf\u00e9.*").toString()).isEqualTo("caf\u00e9.*");
        }

        @Test
        void patternCannotBePublished() {
            assertThatThrownBy(() -> Key.parse("NYSE.*").requireConcrete()).isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("'NYSE.*' is a pattern");
            try (Hub hub = Hub.create()) {
                assertThatThrownBy(() -> hub.publish("NYSE.trade.*", "x")).isInstanceOf(InvalidKeyException.class);
            }
        }
    }

    @Nested
    class Composition {

        @Test
        void concatAndStartsWith() {
            Key key = Key.of("NASDAQ").concat(Key.parse("trade.GOOGL"));
            assertThat(key).isEqualTo(Key.parse("NASDAQ.trade.GOOGL"));
            assertThat(key.startsWith(Key.of("NASDAQ"))).isTrue();
            assertThat(key.startsWith(Key.parse("NASDAQ.trade.GOOGL.x"))).isFalse();
            assertThat(key.startsWith(Key.of("NYSE"))).isFalse();
            assertThat(Key.of("a").concat("b", "c")).isEqualTo(Key.parse("a.b.c"));
        }

        @Test
        void nothingCanFollowAnyDepth() {
            assertThatThrownBy(() -> Key.parse("a.**").concat(Key.of("b"))).isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("'**' must stay last");
        }
    }

    @Nested
    class Matching {

        @Test
        void selectKeepsTheMatchingKeysSortedByTheirDottedForm() {
            List<Key> keys = List.of(Key.parse("NYSE.trade.IBM"), Key.parse("NASDAQ.trade.GOOGL"),
                    Key.parse("NYSE.book.IBM"), Key.parse("*.trade.*"));
            assertThat(Key.parse("*.trade.*").select(keys)).extracting(Key::toString)
                    .containsExactly("*.trade.*", "NASDAQ.trade.GOOGL", "NYSE.trade.IBM");
            assertThat(Key.parse("NYSE.**").select(keys)).extracting(Key::toString)
                    .containsExactly("NYSE.book.IBM", "NYSE.trade.IBM");
            assertThat(Key.parse("LSE.**").select(keys)).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({
            "a.b.c,     a.b.c,   true",
            "a.b.c,     a.b,     false",
            "*.trade.*, NYSE.trade.IBM, true",
            "*.trade.*, NYSE.trade, false",
            "*.trade.*, NYSE.trade.IBM.x, false",
            "NYSE.**,   NYSE,    true",
            "NYSE.**,   NYSE.trade.IBM, true",
            "NYSE.**,   NASDAQ.trade, false",
            "**,        x,       true",
            "*.**,      x,       true",
            "*.*.**,    x,       false",
            "a.*,       a.*,     true",
        })
        void wildcardsMatchWholeSegments(String pattern, String key, boolean matches) {
            assertThat(Key.parse(pattern).matches(Key.parse(key))).isEqualTo(matches);
        }
    }
}
