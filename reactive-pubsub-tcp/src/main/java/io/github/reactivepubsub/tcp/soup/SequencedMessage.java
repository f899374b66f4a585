package io.github.reactivepubsub.tcp.soup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message of a session's sequenced stream with its sequence number (numbers are never on the wire: both
 * sides count from the number in Login Accepted). Immutable: the payload is only readable.
 */
public final class SequencedMessage {

    private final long sequence;
    private final byte[] payload;

    SequencedMessage(long sequence, byte[] payload) {
        this.sequence = sequence;
        this.payload = payload;
    }

    /** @return the sequence number: the first message of a session is 1 */
    public long sequence() {
        return sequence;
    }

    /** @return a read-only view of the payload (position 0, limit = its length) */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** @return the payload length in bytes */
    public int payloadLength() {
        return payload.length;
    }

    /** @return a copy of the payload */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    /** @return the payload decoded as ISO-8859-1 text (every byte one character) */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.ISO_8859_1);
    }

    /** The payload itself, not copied: only for the store and the encoder, which never modify it. */
    byte[] array() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequencedMessage m && m.sequence == sequence && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "SequencedMessage[" + sequence + ", " + payload.length + " bytes]";
    }
}
