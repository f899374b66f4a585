package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * The strict UTF-8 codec of {@link Codecs#utf8()}: malformed input is an error, never silently replaced.
 */
final class Utf8Codec implements Codec<String> {

    static final Utf8Codec INSTANCE = new Utf8Codec();

    private Utf8Codec() {
    }

    @Override
    public byte[] encode(String value) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("UTF-8 string: cannot encode a string with an unpaired surrogate ("
                    + e + "); expected well-formed UTF-16", e);
        }
    }

    @Override
    public String decode(ByteBuffer buffer) {
        int start = buffer.position();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CharBuffer chars = CharBuffer.allocate(buffer.remaining());
        CoderResult result = decoder.decode(buffer, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            int offset = buffer.position() - start;
            buffer.position(start);
            throw new ProtocolException(offset, "UTF-8 string: " + (result.isMalformed() ? "malformed" : "unmappable")
                    + " sequence of " + result.length() + " byte(s); expected well-formed UTF-8");
        }
        return chars.flip().toString();
    }

    @Override
    public String toString() {
        return "Codecs.utf8()";
    }
}
