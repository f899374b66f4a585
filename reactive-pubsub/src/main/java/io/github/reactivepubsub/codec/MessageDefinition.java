package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;

/**
 * A message type: an indicator byte (unsigned, e.g. {@code 'A'} for an ITCH Add Order) followed by a body record.
 * Register definitions in a {@link MessageRegistry} to decode by indicator; a definition on its own is also a
 * {@link Codec} for its record type, which insists on its own indicator.
 *
 * <p>Offsets in {@link ProtocolException}s count from the indicator byte (offset 0). Bytes after the last field
 * are left in the buffer, as upstream ignores them. Immutable and thread-safe.
 *
 * <pre>{@code
 * record EnterOrder(long orderToken, int orderBookId, char side, String name, String note) {}
 * MessageDefinition<EnterOrder> enterOrder = MessageDefinition.of('O', RecordDefinition.builder(EnterOrder.class)
 *         .field("orderToken", FieldType.LONG_BE)
 *         .field("orderBookId", FieldType.INT_BE)
 *         .field("side", FieldType.CHAR_ASCII)
 *         .field("name", FieldType.fixedAscii(4))
 *         .field("note", FieldType.ASCII_STRING)
 *         .build());
 * }</pre>
 *
 * @param <R> the body's record type
 */
public final class MessageDefinition<R extends Record> extends BinaryCodec<R> implements Codec<R> {

    private final int indicator;
    private final RecordDefinition<R> body;

    private MessageDefinition(int indicator, RecordDefinition<R> body) {
        this.indicator = indicator;
        this.body = body;
    }

    /**
     * Defines a message type.
     *
     * @param indicator the indicator byte, 0..255 (a {@code char} literal such as {@code 'A'} will do)
     * @param body the body's layout
     * @param <R> the body's record type
     * @return the definition
     * @throws IllegalArgumentException when {@code indicator} is outside 0..255
     */
    public static <R extends Record> MessageDefinition<R> of(int indicator, RecordDefinition<R> body) {
        if (indicator < 0 || indicator > 0xFF) {
            throw new IllegalArgumentException("indicator " + indicator + " out of range 0..255 (one unsigned byte)"
                    + " for message " + body.type().getSimpleName());
        }
        return new MessageDefinition<>(indicator, body);
    }

    /** @return the indicator byte, 0..255 */
    public int indicator() {
        return indicator;
    }

    /** @return the body's record class */
    public Class<R> type() {
        return body.type();
    }

    /** @return the body's layout */
    public RecordDefinition<R> body() {
        return body;
    }

    /** @return the encoded size including the indicator byte */
    @Override
    public int size(R value) {
        return 1 + body.size(value);
    }

    @Override
    R read(ByteBuffer b, int base) {
        if (!b.hasRemaining()) {
            throw new ProtocolException(0, "message " + this + ": expected the indicator byte, found end of input");
        }
        int found = b.get() & 0xFF;
        if (found != indicator) {
            throw new ProtocolException(0, "indicator " + describe(found) + " found, expected " + this);
        }
        return body.read(b, base);
    }

    @Override
    void write(ByteBuffer b, R value) {
        b.put((byte) indicator);
        body.write(b, value);
    }

    /** Writes a value already known to be of the body's record type. */
    void writeRecord(ByteBuffer b, Record value) {
        write(b, body.type().cast(value));
    }

    /** @return the indicator as a character and in hex, with the record name, e.g. {@code 'A' (0x41) AddOrder} */
    @Override
    public String toString() {
        return describe(indicator) + " " + body.type().getSimpleName();
    }

    static String describe(int indicator) {
        String hex = String.format("0x%02x", indicator);
        return indicator >= 0x20 && indicator < 0x7F ? "'" + (char) indicator + "' (" + hex + ")" : hex;
    }
}
