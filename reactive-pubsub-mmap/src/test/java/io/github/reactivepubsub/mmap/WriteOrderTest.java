package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the order of each writer's memory operations, which is what makes concurrent readers safe. */
class WriteOrderTest {

    /** The NATIVE ring of the tests: 4096 bytes; its trailer starts after the 128-byte header and the ring. */
    private static final int CAPACITY = 4096;
    private static final int TRAILER = 128 + CAPACITY;

    /** @return a NATIVE writer of epoch 42 over {@code memory}, which records its operations */
    private static NativeWriter nativeWriter(RecordingMemory memory) {
        return new NativeWriter(memory, CAPACITY, 42);
    }

    @Test
    void rtgWritesLengthPayloadStopMarkerThenFlag() {
        RecordingMemory memory = new RecordingMemory(RtgDescriptor.FILE_SIZE);
        RtgWriter writer = new RtgWriter(memory);

        writer.write(new byte[] {1, 2, 3}, 0, 3);
        writer.write(new byte[] {4}, 0, 1);

        assertThat(memory.stores).containsExactly(
                "putInt@4=" + Integer.reverseBytes(3), "putBytes@8+3", "putIntRelease@128=0", "putIntRelease@0=1",
                "putInt@132=" + Integer.reverseBytes(1), "putBytes@136+1", "putIntRelease@256=0",
                "putIntRelease@128=1");
    }

    @Test
    void rtgLastSlotWrapsItsStopMarkerToSlotZero() {
        RecordingMemory memory = new RecordingMemory(RtgDescriptor.FILE_SIZE);
        RtgWriter writer = new RtgWriter(memory);
        for (int i = 0; i < 63; i++) {
            writer.write(new byte[0], 0, 0);
        }
        memory.stores.clear();

        writer.write(new byte[0], 0, 0);

        assertThat(memory.stores).containsExactly(
                "putInt@8068=0", "putBytes@8072+0", "putIntRelease@0=0", "putIntRelease@8064=1");
    }

    @Test
    void nativeWritesIntentFenceRecordThenLatestThenTail() {
        RecordingMemory memory = new RecordingMemory(BroadcastDescriptor.fileLength(CAPACITY));
        NativeWriter writer = nativeWriter(memory);

        writer.write(new byte[5], 0, 5);

        assertThat(memory.stores).containsExactly(
                "putLongRelease@" + TRAILER + "=24", "releaseFence",
                "putInt@128=21", "putInt@132=1", "putLong@136=1", "putBytes@144+5",
                "putLongRelease@" + (TRAILER + 256) + "=0", "putLongRelease@" + (TRAILER + 128) + "=24");
    }

    @Test
    void nativePaddingIsCoveredByTheIntentBeforeItIsWritten() {
        RecordingMemory memory = new RecordingMemory(BroadcastDescriptor.fileLength(CAPACITY));
        NativeWriter writer = nativeWriter(memory);
        for (int i = 0; i < 7; i++) {
            writer.write(new byte[496], 0, 496); // records of 512 bytes
        }
        writer.write(new byte[392], 0, 392);     // a 408-byte record: the next index is 3992
        memory.stores.clear();

        writer.write(new byte[100], 0, 100);     // 120 bytes needed, 104 left: padding, then index 0

        assertThat(memory.stores).containsExactly(
                "putLongRelease@" + TRAILER + "=" + (3992 + 104 + 120), "releaseFence",
                "putInt@" + (128 + 3992) + "=104", "putInt@" + (128 + 3996) + "=-1",
                "putInt@128=116", "putInt@132=1", "putLong@136=9", "putBytes@144+100",
                "putLongRelease@" + (TRAILER + 256) + "=4096", "putLongRelease@" + (TRAILER + 128) + "=4216");
    }
}
