package io.github.reactivepubsub.mmap;

/** The byte layout of a feed file. */
public enum Layout {
    /**
     * Ready Trader Go's file: 8192 bytes, 64 slots of 128 bytes, payloads up to 120 bytes, no header. Readable
     * and writable by Ready Trader Go's own publisher and subscribers. Cannot detect loss or torn reads.
     */
    RTG,
    /**
     * Our broadcast ring: a versioned header, a power-of-two ring of variable-length records carrying sequence
     * numbers, and a trailer of counters. Detects and counts lapping and lost messages, publisher restarts and
     * close.
     */
    NATIVE
}
