package io.github.reactivepubsub.mmap;

/**
 * Byte layout of a Ready Trader Go feed file ({@code docs/shared-memory.md}, section 1, in the repository). The
 * whole file is the ring: no header.
 *
 * <pre>
 * slot k starts at file offset 128*k (k = 0..63); byte offsets within the slot:
 *  0      1      2      3      4      5      6      7      8                   8+len      127
 * +------+------+------+------+------+------+------+------+-------------------+--------------+
 * | flag | 0x00 | 0x00 | 0x00 |  payload length, u32 BE   |  payload (len B)  | unused/stale |
 * +------+------+------+------+------+------+------+------+-------------------+--------------+
 * </pre>
 *
 * <p>The flag is a little-endian int 0 or 1 (only byte 0 is ever non-zero), written with release and read with
 * acquire; the length is big-endian; stale bytes after the payload are never cleared.
 */
final class RtgDescriptor {

    /** Size of the whole file and of the mapping. */
    static final int FILE_SIZE = 8192;
    /** Size of one slot. */
    static final int SLOT_SIZE = 128;
    /** Number of slots. */
    static final int SLOT_COUNT = FILE_SIZE / SLOT_SIZE;
    /** Offset of the flag word within a slot. */
    static final int FLAG_OFFSET = 0;
    /** Offset of the big-endian payload length within a slot. */
    static final int LENGTH_OFFSET = 4;
    /** Offset of the payload within a slot (the slot header size). */
    static final int PAYLOAD_OFFSET = 8;
    /** Largest payload a slot holds. */
    static final int MAX_PAYLOAD = SLOT_SIZE - PAYLOAD_OFFSET;

    private RtgDescriptor() {}

    /** @return the offset of the slot after the one at {@code slotOffset} (wrapping to 0) */
    static int nextSlot(int slotOffset) {
        return (slotOffset + SLOT_SIZE) & (FILE_SIZE - 1);
    }

    /**
     * @throws IllegalArgumentException when {@code length} exceeds {@link #MAX_PAYLOAD}
     */
    static void checkPayloadLength(int length) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "payload of " + length + " bytes exceeds the RTG maximum of " + MAX_PAYLOAD + " bytes");
        }
    }
}
