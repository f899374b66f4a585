package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caller-polled raw reader: views of a reused scratch array, loss counted or failed, no poller thread. */
class MmapReaderTest {

    @TempDir
    Path dir;

    private static byte[] numbered(long n, int size) {
        return ByteBuffer.allocate(size).putLong(0, n).array();
    }

    @Test
    void readsDatagramsInOrderAsReadOnlyViewsOfTheirExactLength() {
        Path file = dir.resolve("feed.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(1 << 16));
                MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL))) {
            pub.publish(numbered(1, 8));
            pub.publish(numbered(2, 100));
            pub.publish(new byte[0]);
            List<String> seen = new ArrayList<>();
            int work = reader.poll((payload, sequence) -> {
                assertThat(payload.isReadOnly()).isTrue();
                seen.add(sequence + ":" + payload.remaining() + ":" + (payload.remaining() >= 8 ? payload.getLong(0) : -1));
            }, 10);
            assertThat(work).isEqualTo(3);
            assertThat(seen).containsExactly("1:8:1", "2:100:2", "3:0:-1");
            assertThat(reader.poll((payload, sequence) -> { }, 10)).isZero();
            assertThat(reader.delivered()).isEqualTo(3);
        }
    }

    @Test
    void pollingAllocatesNothingPerDatagram() {
        Path file = dir.resolve("feed.dat");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(1 << 20));
                MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL))) {
            long[] sum = new long[1];
            MmapReader.DatagramHandler handler = (payload, sequence) -> sum[0] += payload.getLong(0);
            byte[] message = numbered(7, 64);
            for (int round = 0; round < 20; round++) { // warm up, then measure the last round
                for (int i = 0; i < 1_000; i++) {
                    pub.publish(message);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                int read = 0;
                while (read < 1_000) {
                    read += reader.poll(handler, 256);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 19) {
                    assertThat(allocated).as("bytes allocated to read 1,000 datagrams").isLessThan(1_000);
                }
            }
            assertThat(sum[0]).isEqualTo(7L * 20_000);
        }
    }

    @Test
    void readsAnRtgFileFromSlotZero() {
        Path file = dir.resolve("rtg.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.RTG))) {
            pub.publish(new byte[] {1, 2, 3});
            pub.publish(new byte[] {4});
            try (MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.RTG).start(StartPosition.START))) {
                List<String> seen = new ArrayList<>();
                reader.poll((payload, sequence) -> {
                    byte[] copy = new byte[payload.remaining()];
                    payload.get(copy);
                    seen.add(sequence + ":" + java.util.Arrays.toString(copy));
                }, 10);
                assertThat(seen).containsExactly("1:[1, 2, 3]", "2:[4]");
            }
        }
    }

    @Test
    void lapsAreCountedAndLostMessagesExact() {
        Path file = dir.resolve("feed.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(4096));
                MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL))) {
            pub.publish(numbered(1, 16));
            List<Long> seen = new ArrayList<>();
            reader.poll((payload, sequence) -> seen.add(sequence), 1);
            for (int i = 2; i <= 1_000; i++) { // 32-byte records: the ring of 4,096 bytes holds 128
                pub.publish(numbered(i, 16));
            }
            while (reader.poll((payload, sequence) -> seen.add(sequence), 256) > 0) {
                // read until nothing is new
            }
            assertThat(reader.lappedCount()).isPositive();
            assertThat(seen.get(seen.size() - 1)).isEqualTo(1_000L);
            assertThat(reader.messagesLost()).isEqualTo(1_000 - seen.size());
        }
    }

    @Test
    void lossPolicyErrorFailsThePollAtTheFirstLapAndEveryLaterOne() {
        Path file = dir.resolve("feed.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(4096));
                MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL)
                        .lossPolicy(LossPolicy.ERROR))) {
            pub.publish(numbered(1, 16));
            reader.poll((payload, sequence) -> { }, 1);
            for (int i = 2; i <= 1_000; i++) {
                pub.publish(numbered(i, 16));
            }
            assertThatThrownBy(() -> reader.poll((payload, sequence) -> { }, 256))
                    .isInstanceOf(MessageLossException.class).hasMessageContaining("lapped the reader");
            assertThatThrownBy(() -> reader.poll((payload, sequence) -> { }, 256))
                    .isInstanceOf(MessageLossException.class);
        }
    }

    @Test
    void closedReaderRefusesToPoll() {
        Path file = dir.resolve("feed.dat");
        try (MmapPublisher pub = MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE))) {
            MmapReader reader = MmapReader.open(file, ReaderOptions.of(Layout.NATIVE));
            reader.close();
            assertThatThrownBy(() -> reader.poll((payload, sequence) -> { }, 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        }
    }
}
