package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A data-path frame's payload: the array a sender encoded (written to the socket as it is, never wrapped unless
 * someone asks for a view of it) or the view a decoder made of the received bytes.
 *
 * <p>The payload is the bytes between the view's position and limit. Reading the view consumes it, so a frame is
 * handed to one consumer, which reads it once; encoding, {@link #equals}, {@link #hashCode} and {@link #toString}
 * read the payload without moving the position, and equality compares its content ({@link ByteBuffer#equals}).
 * Not thread-safe: the view of an array is made when first asked for, by the frame's one consumer.
 */
public abstract sealed class PayloadFrame implements Frame permits PublishFrame, MessageFrame {

    /** The sender's encoded payload, or null for a decoded frame. */
    private final byte @Nullable [] array;
    /** The decoded frame's view, or the array's once asked for. */
    private @Nullable ByteBuffer view;

    PayloadFrame(byte[] array) {
        this.array = Objects.requireNonNull(array, "payload");
    }

    PayloadFrame(ByteBuffer view) {
        this.array = null;
        this.view = Objects.requireNonNull(view, "payload");
    }

    /**
     * @return the encoded payload between its position and limit: a view of the received bytes for a decoded frame,
     *     the sender's array wrapped (once, not copied) otherwise
     */
    public final ByteBuffer payload() {
        ByteBuffer v = view;
        if (v == null) {
            v = ByteBuffer.wrap(Objects.requireNonNull(array));
            view = v;
        }
        return v;
    }

    /** @return the payload's length in bytes (what {@link #payload()} has remaining), without making a view */
    public final int payloadLength() {
        ByteBuffer v = view;
        return v != null ? v.remaining() : Objects.requireNonNull(array).length;
    }

    /** Writes the payload at {@code out}'s position without moving the payload's own. */
    final ByteBuffer putPayload(ByteBuffer out) {
        ByteBuffer v = view;
        return v != null ? FrameFields.putPayload(out, v) : out.put(Objects.requireNonNull(array));
    }

    final boolean samePayload(PayloadFrame other) {
        return payload().equals(other.payload());
    }

    final int payloadHash() {
        return payload().hashCode();
    }
}
