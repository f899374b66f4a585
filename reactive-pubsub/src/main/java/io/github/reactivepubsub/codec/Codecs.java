package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;

/**
 * Ready-made {@link Codec}s. Binary messages have their own codecs: every {@link MessageRegistry} (decodes by
 * indicator), {@link MessageDefinition}, and {@link RecordDefinition} is a {@code Codec} of its records.
 *
 * <pre>{@code
 * Codec<String> text = Codecs.utf8();
 * byte[] bytes = text.encode("Zürich");          // 5a c3 bc 72 69 63 68
 * Codec<Record> ouch = MessageRegistry.builder("OUCH", Direction.OUTGOING).register(accepted).build();
 * }</pre>
 */
public final class Codecs {

    private Codecs() {
    }

    /**
     * The identity codec: a {@code byte[]} payload is its own encoding. {@code encode} returns a copy of the array,
     * {@code decode} copies all remaining bytes. Stateless and thread-safe; never fails on decode.
     *
     * @return the codec
     */
    public static Codec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }

    /**
     * Strict UTF-8: {@code decode} takes all remaining bytes and fails with a {@link ProtocolException} (with the
     * offset of the first malformed sequence) instead of inserting replacement characters; {@code encode} fails with
     * {@link IllegalArgumentException} on an unpaired surrogate. Stateless and thread-safe.
     *
     * @return the codec
     */
    public static Codec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }
}
