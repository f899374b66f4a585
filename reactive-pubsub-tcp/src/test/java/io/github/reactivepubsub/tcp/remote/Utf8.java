package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test payload codec: a String as its UTF-8 bytes. */
final class Utf8 implements Codec<String> {

    static final Utf8 CODEC = new Utf8();

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(ByteBuffer buffer) {
        String text = StandardCharsets.UTF_8.decode(buffer).toString();
        return text;
    }

    @Override
    public String toString() {
        return "Utf8";
    }
}
