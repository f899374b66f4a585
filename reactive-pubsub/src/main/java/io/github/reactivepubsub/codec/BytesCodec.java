package io.github.reactivepubsub.codec;

import java.nio.ByteBuffer;

/** The identity codec of {@link Codecs#bytes()}: the payload is its own encoding. */
final class BytesCodec implements Codec<byte[]> {

    static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public byte[] encode(byte[] value) {
        return value.clone();
    }

    @Override
    public void encode(byte[] value, ByteBuffer out) {
        out.put(value);
    }

    @Override
    public byte[] decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "Codecs.bytes()";
    }
}
