package io.github.reactivepubsub.mmap;

/**
 * Byte layout of a {@code NATIVE} feed file ({@code docs/shared-memory.md}, section 2, in the repository): a
 * 128-byte header, a data ring of
 * {@code C} bytes (a power of two) and a 512-byte trailer of counters. All integers are little-endian.
 *
 * <pre>
 * file offset 0            128                      128 + C                  128 + C + 512
 *             +------------+-------------------------+-------------------------+
 *             | header     | data ring               | trailer                 |
 *             | 128 bytes  | C bytes, power of two   | 512 bytes: 4 slots x 128|
 *             +------------+-------------------------+-------------------------+
 *
 * header (written once, magic last):
 *   0 magic "RPSBCAST" (8)        8 layoutVersion i32 = 1   12 headerLength i32 = 128
 *  16 capacity i32               20 maxMessageLength i32    24 recordHeaderLength i32 = 16
 *  28 trailerLength i32 = 512    32 epoch i64 (non-zero)    40 creationTimeMillis i64
 *  48 publisherPid i64           56..127 reserved, zero
 *
 * trailer at T = 128 + C, each counter alone in a 128-byte slot:
 *  T+0 tailIntent i64   T+128 tail i64   T+256 latest i64
 *  T+384 writerHeartbeatMillis i64   T+392 writerStatus i32 (1 active, 2 closed)
 *
 * record at ring index i (8-byte aligned), occupying align8(length) bytes:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    length (i32) = 16 + payload length (not aligned)           |   0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    type (i32): >= 1 message type, -1 padding, 0 never written |   4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    sequence (i64): 1, 2, 3 ... per epoch                      |   8
 *  +                                                               +
 *  |                                                               |  12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    payload ... then 0-7 bytes of slack up to align8(length)   |  16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class BroadcastDescriptor {

    /** The magic as a little-endian long: ASCII "RPSBCAST". */
    static final long MAGIC = 0x5453414342535052L;
    /** The only layout version this code reads and writes. */
    static final int LAYOUT_VERSION = 1;

    static final int HEADER_LENGTH = 128;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int HEADER_LENGTH_OFFSET = 12;
    static final int CAPACITY_OFFSET = 16;
    static final int MAX_MESSAGE_LENGTH_OFFSET = 20;
    static final int RECORD_HEADER_LENGTH_OFFSET = 24;
    static final int TRAILER_LENGTH_OFFSET = 28;
    static final int EPOCH_OFFSET = 32;
    static final int CREATION_TIME_OFFSET = 40;
    static final int PID_OFFSET = 48;

    static final int TRAILER_LENGTH = 512;
    /** Trailer-relative offsets; add {@link #trailerOffset(int)}. */
    static final int TAIL_INTENT_OFFSET = 0;
    static final int TAIL_OFFSET = 128;
    static final int LATEST_OFFSET = 256;
    static final int HEARTBEAT_OFFSET = 384;
    static final int STATUS_OFFSET = 392;

    static final int STATUS_ACTIVE = 1;
    static final int STATUS_CLOSED = 2;

    static final int RECORD_HEADER_LENGTH = 16;
    static final int RECORD_LENGTH_OFFSET = 0;
    static final int RECORD_TYPE_OFFSET = 4;
    static final int RECORD_SEQUENCE_OFFSET = 8;
    static final int PADDING_TYPE = -1;
    /** The record type every message is written with. */
    static final int MESSAGE_TYPE = 1;
    static final int ALIGNMENT = 8;

    static final int MIN_CAPACITY = 4096;
    static final int MAX_CAPACITY = 1 << 30;

    private BroadcastDescriptor() {}

    /** @return {@code n} rounded up to a multiple of 8 */
    static int align8(int n) {
        return (n + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** @return the file offset of the trailer for a ring of {@code capacity} bytes */
    static int trailerOffset(int capacity) {
        return HEADER_LENGTH + capacity;
    }

    /** @return the exact file length for a ring of {@code capacity} bytes */
    static int fileLength(int capacity) {
        return HEADER_LENGTH + capacity + TRAILER_LENGTH;
    }

    /** @return the largest payload a ring of {@code capacity} bytes carries: C / 8 */
    static int maxPayloadLength(int capacity) {
        return capacity / 8;
    }

    /**
     * @throws IllegalArgumentException when {@code capacity} is not a power of two in [4096, 2^30]
     */
    static void checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be a power of two between "
                    + MIN_CAPACITY + " and " + MAX_CAPACITY);
        }
    }
}
