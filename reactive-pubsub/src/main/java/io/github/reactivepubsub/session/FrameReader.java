package io.github.reactivepubsub.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The "reader": feeds reads of any size to a {@link FrameDecoder}, keeping the bytes of an incomplete frame until
 * the next read, and hands every complete message of a read to a consumer.
 *
 * <p>Not thread-safe: one reader per session, called from the session's drain loop. Memory: at most one
 * incomplete frame plus one read is held; a read that holds only complete frames is decoded in place, without a
 * copy.
 *
 * <p><b>Bytes handed to the decoder are never written again</b>, so a decoder (a codec) may keep views of them: the
 * reads themselves are never written by their transport ({@link DuplexConnection#receive()}), and the buffer that
 * gathers an incomplete frame is replaced, not compacted, once a frame was decoded from it.
 */
final class FrameReader<T> {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final FrameDecoder<T> decoder;
    /** Bytes of an incomplete frame, between position 0 and the position (write mode). */
    private ByteBuffer partial = EMPTY;

    FrameReader(FrameDecoder<T> decoder) {
        this.decoder = decoder;
    }

    /**
     * Decodes every complete frame of the bytes kept so far plus {@code read}.
     *
     * @param read the new bytes; not written (a remainder is copied), though decoded messages may keep views of it
     * @param out receives each message in order
     */
    void feed(ByteBuffer read, Consumer<? super T> out) {
        if (!read.hasRemaining()) {
            return;
        }
        if (partial.position() == 0) {
            decodeAll(read, out);
            keep(read);
            return;
        }
        if (partial.remaining() < read.remaining()) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position() + read.remaining()));
            partial.flip();
            grown.put(partial);
            partial = grown;
        }
        partial.put(read);
        partial.flip();
        int start = partial.position();
        try {
            decodeAll(partial, out);
        } finally {
            if (partial.position() == start) {
                partial.compact(); // nothing was decoded from it: no view of its bytes exists
            } else {
                ByteBuffer rest = partial;
                partial = EMPTY; // decoded messages may keep views of it: the rest goes into a new buffer
                keep(rest);
            }
        }
    }

    /** @return how many bytes of an incomplete frame are kept */
    int pendingBytes() {
        return partial.position();
    }

    /** Forgets kept bytes and releases the buffer. */
    void clear() {
        partial = EMPTY;
    }

    private void decodeAll(ByteBuffer buffer, Consumer<? super T> out) {
        @Nullable T message;
        while (buffer.hasRemaining() && (message = decoder.decode(buffer)) != null) {
            out.accept(message);
        }
    }

    private void keep(ByteBuffer rest) {
        if (!rest.hasRemaining()) {
            return;
        }
        if (partial.capacity() < rest.remaining()) {
            partial = ByteBuffer.allocate(Math.max(256, rest.remaining() * 2));
        }
        partial.put(rest);
    }
}
