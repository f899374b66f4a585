package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.Key;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The keys a thread decoded and encoded lately, so that a stream of frames to a few keys parses and encodes each key
 * once instead of once per frame: decoding a key costs a string, a split, segment checks and a {@link Key}; encoding
 * it a {@code String.getBytes}.
 *
 * <p>Per thread (event loops and publishing threads), so no synchronization. Bounded: {@value #SLOTS} direct-mapped
 * slots each way, keys of at most {@value #MAX_KEY_BYTES} bytes; a peer sending ever new keys only causes misses.
 * Decoded keys are found by their bytes (compared in full), so a hit is the key those very bytes parse to.
 */
final class KeyCache {

    static final ThreadLocal<KeyCache> CURRENT = ThreadLocal.withInitial(KeyCache::new);

    private static final int SLOTS = 256;
    private static final int MAX_KEY_BYTES = 256;

    private final byte[][] decodedBytes = new byte[SLOTS][];
    private final Key[] decodedKeys = new Key[SLOTS];
    private final Key[] encodedKeys = new Key[SLOTS];
    private final byte[][] encodedBytes = new byte[SLOTS][];

    /** @return the key the {@code length} bytes at {@code from} parse to, if this thread decoded them lately */
    @Nullable Key decoded(ByteBuffer in, int from, int length) {
        if (length > MAX_KEY_BYTES) {
            return null;
        }
        int slot = slot(in, from, length);
        byte[] bytes = decodedBytes[slot];
        if (bytes == null || bytes.length != length) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] != in.get(from + i)) {
                return null;
            }
        }
        return decodedKeys[slot];
    }

    /** Remembers that the {@code length} bytes at {@code from} parse to {@code key}. */
    void decodedAs(ByteBuffer in, int from, int length, Key key) {
        if (length > MAX_KEY_BYTES) {
            return;
        }
        int slot = slot(in, from, length);
        byte[] bytes = new byte[length];
        in.get(from, bytes);
        decodedBytes[slot] = bytes;
        decodedKeys[slot] = key;
    }

    /** @return the key's UTF-8 bytes (shared: never modify them) */
    byte[] encoded(Key key) {
        int slot = key.hashCode() & (SLOTS - 1);
        Key cached = encodedKeys[slot];
        if (cached == key || (cached != null && cached.equals(key))) {
            return encodedBytes[slot];
        }
        byte[] bytes = FrameFields.utf8("key", key.toString());
        if (bytes.length <= MAX_KEY_BYTES) {
            encodedKeys[slot] = key;
            encodedBytes[slot] = bytes;
        }
        return bytes;
    }

    private static int slot(ByteBuffer in, int from, int length) {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + in.get(from + i);
        }
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
