package io.github.reactivepubsub.mmap;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One datagram read from a feed: a private copy of the payload (never a view into the mapping, which the
 * publisher overwrites) and its sequence number. Immutable; safe to share between threads.
 */
public final class Datagram {

    private final byte[] payload;
    private final long sequence;

    Datagram(byte[] payload, long sequence) {
        this.payload = payload;
        this.sequence = sequence;
    }

    /**
     * Creates a datagram from a copy of {@code payload}, e.g. to feed a bridge in tests.
     *
     * @param payload the bytes, copied
     * @param sequence the sequence number
     * @return the datagram
     */
    public static Datagram of(byte[] payload, long sequence) {
        return new Datagram(payload.clone(), sequence);
    }

    /** @return a read-only view of the payload, positioned at 0 */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** @return a new copy of the payload */
    public byte[] toByteArray() {
        return payload.clone();
    }

    /** @return the payload length in bytes */
    public int length() {
        return payload.length;
    }

    /**
     * The datagram's sequence number. {@code NATIVE}: the publisher's per-epoch number (1, 2, 3 ...; gaps are
     * counted losses). {@code RTG}: the file carries none; this subscriber's own count of datagrams read (1, 2,
     * 3 ...), which cannot reveal loss.
     *
     * @return the sequence number
     */
    public long sequence() {
        return sequence;
    }

    /** @return the payload as lowercase hex, two digits per byte, no separators */
    public String toHex() {
        StringBuilder sb = new StringBuilder(payload.length * 2);
        for (byte b : payload) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram && ((Datagram) o).sequence == sequence
                && Arrays.equals(((Datagram) o).payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequence) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Datagram[sequence=" + sequence + ", length=" + payload.length + "]";
    }
}
