package io.github.reactivepubsub.samples.web;

import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payloads as JSON, for the app's hub when it lives in Redis: any value Jackson writes (the market's records, the
 * JSON bodies posted to {@code /api/publish}) is encoded as JSON and read back as plain JSON values (maps, lists,
 * numbers, strings), which the streams write out as the same JSON. Thread-safe.
 */
final class JsonCodec implements Codec<Object> {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Override
    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JSON";
    }
}
