package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CodecsTest {

    @Test
    void bytesAreTheirOwnEncodingAndNeverShared() {
        byte[] payload = {1, 2, 3};
        byte[] encoded = Codecs.bytes().encode(payload);
        assertThat(encoded).containsExactly(1, 2, 3).isNotSameAs(payload);
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2});
        buffer.get();
        assertThat(Codecs.bytes().decode(buffer)).containsExactly(1, 2);
        assertThat(Codecs.bytes().decode(ByteBuffer.allocate(0))).isEmpty();
    }

    @Test
    void utf8RoundTripsAnyWellFormedString() {
        String text = "Zürich € 𝄞";
        assertThat(hex(Codecs.utf8().encode("Zürich"))).isEqualTo("5a c3 bc 72 69 63 68");
        assertThat(Codecs.utf8().decode(ByteBuffer.wrap(Codecs.utf8().encode(text)))).isEqualTo(text);
        ByteBuffer out = ByteBuffer.allocate(32);
        Codecs.utf8().encode("", out);
        assertThat(out.position()).isZero();
        assertThat(Codecs.utf8().decode(ByteBuffer.allocate(0))).isEmpty();
    }

    @Test
    void utf8RejectsMalformedInputAtItsOffsetInsteadOfReplacingIt() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("41 42 c3 28"));
        assertThatThrownBy(() -> Codecs.utf8().decode(buffer))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(2))
                .hasMessage("UTF-8 string: malformed sequence of 1 byte(s); expected well-formed UTF-8 (at offset 2)");
        assertThat(buffer.position()).isZero();
        assertThatThrownBy(() -> Codecs.utf8().decode(ByteBuffer.wrap(hex("41 e2 82"))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(1));
    }

    @Test
    void utf8RejectsAnUnpairedSurrogateOnEncode() {
        assertThatThrownBy(() -> Codecs.utf8().encode("a\uD800b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }
}
