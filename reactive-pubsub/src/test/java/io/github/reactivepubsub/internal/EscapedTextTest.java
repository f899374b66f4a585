package io.github.reactivepubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapedTextTest {

    @Test
    void controlAndNonAsciiCharactersAreEscapedAndTheRestIsCutWithACount() {
        assertThat(EscapedText.escape("a\r\nb\t\\c\u0000\u00e9\u20ac", 64))
                .isEqualTo("a\\r\\nb\\t\\\\c\\x00\\xe9\\u20ac");
        assertThat(EscapedText.escape("abcdef", 4)).isEqualTo("abcd...(2 more)");
        assertThat(EscapedText.escape("\n\u00ff!x".getBytes(StandardCharsets.ISO_8859_1), 3))
                .isEqualTo("\\n\\xff!...(1 more)");
    }
}
