package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Payloads as UTF-8 text: the format the broker and client tools agree on. */
final class Utf8Codec implements Codec<String> {

    static final Utf8Codec INSTANCE = new Utf8Codec();

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }
}
