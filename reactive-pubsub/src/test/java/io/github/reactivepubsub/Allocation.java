package io.github.reactivepubsub;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread, for checks that a decoder allocates in proportion to its input and never
 * in proportion to a length or count the input claims.
 */
public final class Allocation {

    /** What any decode may allocate beyond its input: an exception with its message and stack trace, small objects. */
    public static final long SLACK = 256 * 1024;
    /** Bytes a decoder may allocate per input byte (boxed list items, strings, records). */
    public static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private Allocation() {
    }

    /** @return the bytes the current thread allocated so far */
    public static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Fails when {@code bytes} exceeds what an input of {@code inputLength} bytes may cost.
     *
     * @param what the decoder, for the message
     * @param bytes bytes allocated by one decode
     * @param inputLength the input's length
     */
    public static void checkBounded(String what, long bytes, int inputLength) {
        long bound = SLACK + PER_INPUT_BYTE * inputLength;
        if (bytes > bound) {
            throw new AssertionError(what + " allocated " + bytes + " bytes for a " + inputLength
                    + "-byte input: expected at most " + bound + " (" + SLACK + " + " + PER_INPUT_BYTE
                    + " per input byte)");
        }
    }
}
