package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NATIVE layout against {@code docs/shared-memory.md} (section 2): header and record bytes, reader rules,
 * validation.
 */
class NativeLayoutTest {

    static final int C = 4096;
    static final int T = 128 + C;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("ring.dat");
    }

    private NativeWriter writer() throws IOException {
        return NativeWriter.create(file(), C);
    }

    private NativeReader reader(StartPosition start) throws IOException {
        return new NativeReader(FeedFiles.mapNative(file()), start);
    }

    private static long longAt(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    private static byte[] message(long n, int size) {
        byte[] out = new byte[size];
        ByteBuffer.wrap(out).putLong(0, n);
        return out;
    }

    @Test
    void headerMatchesTheSpecBytes() throws IOException {
        NativeWriter writer = writer();
        byte[] file = Files.readAllBytes(file());

        assertThat(file).hasSize(128 + 4096 + 512);
        assertThat(java.util.Arrays.copyOfRange(file, 0, 32)).isEqualTo(hex(
                "52 50 53 42 43 41 53 54  01 00 00 00  80 00 00 00"
                + "00 10 00 00  00 02 00 00  10 00 00 00  00 02 00 00"));
        assertThat(longAt(file, 32)).isEqualTo(writer.epoch()).isNotZero();
        assertThat(longAt(file, 40)).isPositive();
        assertThat(longAt(file, 48)).isEqualTo(ProcessHandle.current().pid());
        assertThat(java.util.Arrays.copyOfRange(file, 56, 128)).containsOnly((byte) 0);
        assertThat(longAt(file, T + 384)).as("heartbeat").isPositive();
        assertThat(java.util.Arrays.copyOfRange(file, T + 392, T + 396)).isEqualTo(hex("01 00 00 00"));
        assertThat(Files.list(dir)).containsExactly(file());
    }

    @Test
    void recordAndCountersMatchTheSpecBytes() throws IOException {
        NativeWriter writer = writer();
        writer.write("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 3);
        writer.write(new byte[] {(byte) 0xee}, 0, 1);
        byte[] file = Files.readAllBytes(file());

        assertThat(java.util.Arrays.copyOfRange(file, 128, 128 + 24 + 17)).isEqualTo(hex(
                "13 00 00 00  01 00 00 00  01 00 00 00 00 00 00 00  61 62 63  00 00 00 00 00"
                + "11 00 00 00  01 00 00 00  02 00 00 00 00 00 00 00  ee"));
        assertThat(longAt(file, T)).as("tailIntent").isEqualTo(48);
        assertThat(longAt(file, T + 128)).as("tail").isEqualTo(48);
        assertThat(longAt(file, T + 256)).as("latest").isEqualTo(24);
        writer.markClosed();
        assertThat(Bytes.read(file(), T + 392, 4)).isEqualTo(hex("02 00 00 00"));
    }

    @Test
    void messagesUpToCapacityOverEightAreAccepted() throws IOException {
        try (MmapPublisher publisher = MmapPublisher.create(file(), PublisherOptions.of(Layout.NATIVE).capacity(C))) {
            assertThat(publisher.maxPayloadLength()).isEqualTo(512);
            publisher.publish(new byte[512]);
            assertThatThrownBy(() -> publisher.publish(new byte[513]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("513 bytes exceeds the NATIVE maximum of 512 bytes");
            assertThat(publisher.published()).isEqualTo(1);
        }
    }

    @Test
    void capacityMustBeAPowerOfTwoInRange() {
        PublisherOptions options = PublisherOptions.of(Layout.NATIVE);
        assertThatThrownBy(() -> options.capacity(6000)).hasMessageContaining("capacity 6000 must be a power of two");
        assertThatThrownBy(() -> options.capacity(2048)).isInstanceOf(IllegalArgumentException.class);
        assertThat(options.capacity(1 << 16).capacity()).isEqualTo(65536);
    }

    @Test
    void lateJoinerStartsAtTheLatestMessageAndTailJoinerAtTheNext() throws IOException {
        NativeWriter writer = writer();
        for (int i = 1; i <= 5; i++) {
            writer.write(message(i, 8), 0, 8);
        }
        NativeReader latest = reader(StartPosition.LATEST);
        NativeReader tail = reader(StartPosition.TAIL);
        NativeReader start = reader(StartPosition.START);
        writer.write(message(6, 8), 0, 8);

        assertThat(new Bytes.Collector().drain(latest).datagrams).extracting(Datagram::sequence).containsExactly(5L, 6L);
        assertThat(new Bytes.Collector().drain(tail).datagrams).extracting(Datagram::sequence).containsExactly(6L);
        assertThat(new Bytes.Collector().drain(start).datagrams).hasSize(6);
        assertThat(latest.messagesLost).as("joining is not loss").isZero();
    }

    @Test
    void readerKeepingUpGetsEverythingAcrossWrapsAndPadding() throws IOException {
        NativeWriter writer = writer();
        NativeReader reader = reader(StartPosition.TAIL);
        Bytes.Collector got = new Bytes.Collector();
        List<Long> expected = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            int size = 8 + (i * 37) % 400;
            writer.write(message(i, size), 0, size);
            expected.add((long) i);
            if (i % 5 == 0) {
                got.drain(reader);
            }
        }
        got.drain(reader);

        assertThat(got.datagrams).extracting(Datagram::sequence).isEqualTo(expected);
        assertThat(got.datagrams).allSatisfy(d -> assertThat(d.payload().getLong(0)).isEqualTo(d.sequence()));
        assertThat(got.datagrams.get(6).length()).isEqualTo(8 + (7 * 37) % 400);
        assertThat(reader.lappedCount).isZero();
        assertThat(got.events).isEmpty();
    }

    @Test
    void lappedReaderCountsTheLapAndExactlyTheMessagesLost() throws IOException {
        NativeWriter writer = writer();
        NativeReader reader = reader(StartPosition.TAIL);
        writer.write(message(1, 100), 0, 100);
        Bytes.Collector got = new Bytes.Collector();
        reader.poll(got, 1);
        for (int i = 2; i <= 1001; i++) {
            writer.write(message(i, 100), 0, 100);
        }
        long cursorBefore = reader.cursor();

        got.drain(reader);

        assertThat(got.datagrams).extracting(Datagram::sequence).containsExactly(1L, 1001L);
        assertThat(reader.lappedCount).isEqualTo(1);
        assertThat(reader.messagesLost).isEqualTo(999);
        assertThat(reader.bytesSkipped).as("latest - cursor").isEqualTo(reader.cursor() - 120 - cursorBefore);
        assertThat(got.events).containsExactly(new FeedEvent.Lapped(1, reader.bytesSkipped),
                new FeedEvent.Lost(999, 1001, 999));
    }

    @Test
    void corruptRecordAtAValidPositionIsAProtocolException() throws IOException {
        NativeWriter writer = writer();
        NativeReader reader = reader(StartPosition.TAIL);
        writer.write(new byte[8], 0, 8);
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.seek(128);
            raf.write(hex("ff ff 00 00")); // length 65535
        }

        assertThatThrownBy(() -> reader.poll(new Bytes.Collector(), 10))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("has length 65535 and type 1: expected type >= 1 and length 16..528");
    }

    /** Writes {@code value} as a little-endian long at {@code offset} of the file, behind the mapping's back. */
    private void corrupt(int offset, long value) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.seek(offset);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array());
        }
    }

    @Test
    void tailIntentAFullRingAheadOfLatestIsACorruptFileNotALapOnEveryPoll() throws IOException {
        NativeWriter writer = writer();
        writer.write(message(1, 100), 0, 100);
        NativeReader reader = reader(StartPosition.LATEST);
        corrupt(T, 10L * C); // tailIntent 40960; latest stays 0 and tail 120: no writer leaves them so

        Bytes.Collector got = new Bytes.Collector();
        for (int poll = 0; poll < 3; poll++) { // every poll fails alike; none counts a lap
            assertThatThrownBy(() -> reader.poll(got, 10))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("NATIVE feed file " + file())
                    .hasMessageContaining("is corrupt: trailer has tailIntent 40960 and latest 0: expected latest + "
                            + "capacity (4096) > tailIntent");
        }
        assertThat(reader.lappedCount).isZero();
        assertThat(reader.bytesSkipped).isZero();
        assertThat(got.events).isEmpty();
        assertThat(got.datagrams).isEmpty();
    }

    @Test
    void aRealLapIsStillALapWhileTheWriterIsMidwayThroughAPaddedLargestRecord() throws IOException {
        NativeWriter writer = writer();
        NativeReader reader = reader(StartPosition.TAIL);
        // 512-byte payloads: 528-byte records, the largest a 4,096-byte ring takes; seven to a lap, then 400 bytes of
        // padding: after 42 the next record needs padding first
        for (int i = 1; i <= 42; i++) {
            writer.write(message(i, 512), 0, 512);
        }
        byte[] file = Files.readAllBytes(file());
        long tail = longAt(file, T + 128);
        int index = (int) (tail & (C - 1));
        long padding = C - index < 528 ? C - index : 0;
        // the widest gap a writer leaves: the latest record, a padding record and the record being written
        corrupt(T, tail + padding + 528);
        assertThat(tail + padding + 528 - longAt(file, T + 256)).isEqualTo(528 + 400 + 528);

        Bytes.Collector got = new Bytes.Collector().drain(reader);

        assertThat(reader.lappedCount).isEqualTo(1);
        assertThat(got.datagrams).extracting(Datagram::sequence).containsExactly(42L);
    }

    @Test
    void aSequenceBelowOneIsCorruptSoAStaticRingIsNeverReadRoundAndRound() throws IOException {
        NativeWriter writer = writer();
        for (int i = 1; i <= 171; i++) { // 24-byte records: 170 fill the ring to 4,080, the 171st wraps after padding
            writer.write(message(i, 8), 0, 8);
        }
        for (int index = 0; index < 4080; index += 24) {
            corrupt(128 + index + 8, 0); // every record's sequence
        }
        corrupt(T + 128, 100L * C); // tail far ahead: the ring would be read round and round, all valid, forever
        NativeReader reader = reader(StartPosition.LATEST);

        assertThatThrownBy(() -> reader.poll(new Bytes.Collector(), 10))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("is corrupt: sequence 0 at ring position 4096 is below 1: sequences start at 1");
    }

    @Test
    void aSequenceThatDoesNotIncreaseIsCorrupt() throws IOException {
        NativeWriter writer = writer();
        writer.write(message(1, 8), 0, 8);
        writer.write(message(2, 8), 0, 8);
        NativeReader reader = reader(StartPosition.START);
        corrupt(128 + 24 + 8, 1); // the second record's sequence

        Bytes.Collector got = new Bytes.Collector();
        assertThatThrownBy(() -> reader.poll(got, 10))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("is corrupt: sequence 1 at ring position 24 does not follow 1: expected above it");
        assertThat(got.datagrams).extracting(Datagram::sequence).containsExactly(1L);
    }

    @Test
    void wrongMagicIsRejectedSayingWhatWasFound() throws IOException {
        Files.write(file(), hex("58".repeat(16) + "00".repeat(8192)));

        assertThatThrownBy(() -> FeedFiles.mapNative(file()))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.BAD_MAGIC))
                .hasMessageContaining("magic is \"XXXXXXXX\" (58 58 58 58 58 58 58 58): expected \"RPSBCAST\"");
    }

    @Test
    void unknownVersionIsRejected() throws IOException {
        writer();
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.seek(8);
            raf.write(hex("02 00 00 00"));
        }

        assertThatThrownBy(() -> FeedFiles.mapNative(file()))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.UNSUPPORTED_LAYOUT))
                .hasMessageContaining("layout version is 2: expected 1");
    }

    @Test
    void truncatedOrUninitialisedFilesAreCorrupt() throws IOException {
        writer();
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.setLength(4000);
        }
        assertThatThrownBy(() -> FeedFiles.mapNative(file()))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.CORRUPT))
                .hasMessageContaining("file is 4000 bytes: expected exactly 4736 for capacity 4096");

        Files.write(file(), new byte[64]);
        assertThatThrownBy(() -> FeedFiles.mapNative(file()))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.CORRUPT))
                .hasMessageContaining("64 bytes: expected at least the 128-byte header");

        Files.write(file(), new byte[4736]);
        assertThatThrownBy(() -> FeedFiles.mapNative(file()))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.CORRUPT))
                .hasMessageContaining("no magic yet");
    }

    @Test
    void concurrentPublishCallsAreSerializedWithoutTornRecordsAndKeepEachThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (MmapPublisher publisher = MmapPublisher.create(file(),
                PublisherOptions.of(Layout.NATIVE).capacity(1 << 22))) {
            NativeReader reader = reader(StartPosition.TAIL);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int size = 12 + (i % 50);
                        byte[] payload = new byte[size];
                        ByteBuffer.wrap(payload).putInt(0, id).putLong(4, i);
                        publisher.publish(payload);
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread w : writers) {
                w.join();
            }
            Bytes.Collector got = new Bytes.Collector().drain(reader);

            assertThat(got.datagrams).hasSize(threads * perThread);
            assertThat(publisher.published()).isEqualTo(threads * perThread);
            long[] next = new long[threads];
            for (Datagram d : got.datagrams) {
                ByteBuffer b = d.payload();
                int id = b.getInt(0);
                long i = b.getLong(4);
                assertThat(i).isEqualTo(next[id]);
                assertThat(d.length()).isEqualTo(12 + (int) (i % 50));
                next[id]++;
            }
            assertThat(reader.lappedCount).isZero();
        }
    }

    @Test
    void secondPublisherOnTheSameFileFailsFast() {
        try (MmapPublisher first = MmapPublisher.create(file(), PublisherOptions.of(Layout.NATIVE).capacity(C))) {
            assertThatThrownBy(() -> MmapPublisher.create(file(), PublisherOptions.of(Layout.NATIVE)))
                    .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.LOCKED))
                    .hasMessageContaining("another publisher holds");
            assertThat(first.epoch()).isNotZero();
        }
        MmapPublisher.create(file(), PublisherOptions.of(Layout.NATIVE).capacity(C)).close();
    }
}
