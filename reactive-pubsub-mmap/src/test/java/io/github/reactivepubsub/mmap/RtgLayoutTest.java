package io.github.reactivepubsub.mmap;

import static io.github.reactivepubsub.mmap.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RTG layout against the byte vectors and reader behaviour of {@code docs/shared-memory.md} (section 1). */
class RtgLayoutTest {

    /** {@code docs/shared-memory.md}, section 1, "Byte vectors": ORDER_BOOK_UPDATE, ETF, sequence 7, in slot 0. */
    static final byte[] ORDER_BOOK_SLOT = hex(
            "0000: 01 00 00 00 00 00 00 58 00 58 0a 01 00 00 00 07\n"
            + "0010: 00 00 27 74 00 00 27 d8 00 00 28 3c 00 00 00 00\n"
            + "0020: 00 00 00 00 00 00 00 05 00 00 00 0a 00 00 00 0f\n"
            + "0030: 00 00 00 00 00 00 00 00 00 00 27 10 00 00 26 ac\n"
            + "0040: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 14\n"
            + "0050: 00 00 00 1e 00 00 00 00 00 00 00 00 00 00 00 00\n");
    static final byte[] ORDER_BOOK = Arrays.copyOfRange(ORDER_BOOK_SLOT, 8, 96);

    /** The same section's TRADE_TICKS: FUTURE, sequence 2, one ask tick 101.00 x 3. */
    static final byte[] TRADE_TICKS = concat(hex("00 58 0b 00 00 00 00 02 00 00 27 74"), new byte[16],
            hex("00 00 00 03"), new byte[56]);

    @TempDir
    Path dir;

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private Path publish(int count) throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter writer = RtgWriter.open(file);
        for (int i = 0; i < count; i++) {
            writer.write(new byte[] {(byte) i}, 0, 1);
        }
        return file;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).map(i -> i & 0xFF).boxed().collect(Collectors.toList());
    }

    private static Bytes.Collector readFrom(Path file, StartPosition start) throws IOException {
        return new Bytes.Collector().drain(new RtgReader(FeedFiles.mapRtg(file), start));
    }

    @Test
    void writerProducesTheGoldenOrderBookSlot() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter.open(file).write(ORDER_BOOK, 0, ORDER_BOOK.length);

        assertThat(ORDER_BOOK).hasSize(88);
        assertThat(Files.size(file)).isEqualTo(8192);
        assertThat(Bytes.read(file, 0, 128)).isEqualTo(concat(ORDER_BOOK_SLOT, new byte[32]));
        assertThat(Bytes.read(file, 128, 8)).as("stop marker and untouched slot 1").isEqualTo(new byte[8]);
    }

    @Test
    void flagIsALittleEndianOneInByteZero() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter.open(file).write(TRADE_TICKS, 0, TRADE_TICKS.length);

        assertThat(Bytes.read(file, 0, 8)).isEqualTo(hex("01 00 00 00 00 00 00 58"));
        assertThat(Bytes.read(file, 8, 88)).isEqualTo(TRADE_TICKS);
    }

    @Test
    void readerDecodesAFileWrittenByteForByteLikeTheReferencePublisher() throws IOException {
        byte[] image = new byte[8192];
        System.arraycopy(ORDER_BOOK_SLOT, 0, image, 0, ORDER_BOOK_SLOT.length);
        byte[] slot1 = concat(hex("01 00 00 00 00 00 00 58"), TRADE_TICKS);
        System.arraycopy(slot1, 0, image, 128, slot1.length);
        Path file = Files.write(dir.resolve("rtg.dat"), image);

        Bytes.Collector got = readFrom(file, StartPosition.START);

        assertThat(got.datagrams).extracting(Datagram::toByteArray).containsExactly(ORDER_BOOK, TRADE_TICKS);
        assertThat(got.datagrams).extracting(Datagram::sequence).containsExactly(1L, 2L);
    }

    @Test
    void payloadAbove120BytesIsRejectedAndNothingIsWritten() throws IOException {
        Path file = dir.resolve("info.dat");
        MmapPublisher publisher = MmapPublisher.create(file, PublisherOptions.of(Layout.RTG));
        try {
            assertThat(publisher.maxPayloadLength()).isEqualTo(120);
            assertThatThrownBy(() -> publisher.publish(new byte[121]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("121 bytes exceeds the RTG maximum of 120 bytes");
            publisher.publish(new byte[120]);
        } finally {
            publisher.close();
        }
        assertThat(Bytes.read(file, 0, 8)).isEqualTo(hex("01 00 00 00 00 00 00 78"));
        assertThatThrownBy(() -> publisher.publish(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void staleBytesOfALongerPayloadAreIgnored() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter writer = RtgWriter.open(file);
        for (int i = 0; i < 64; i++) {
            writer.write(new byte[100], 0, 100);
        }
        writer.write(new byte[] {7, 7}, 0, 2); // slot 0 again, over 100 stale bytes

        assertThat(readFrom(file, StartPosition.LATEST).datagrams).isEmpty();
        Bytes.Collector fromStart = readFrom(file, StartPosition.START);
        assertThat(fromStart.datagrams.get(0).toByteArray()).containsExactly(7, 7);
    }

    @Test
    void lateJoinFromSlotZeroMatchesTheReferenceSubscriber() throws IOException {
        assertThat(readFrom(publish(5), StartPosition.START).firstBytes()).isEqualTo(range(0, 5));
        assertThat(readFrom(publish(64), StartPosition.START).datagrams).isEmpty();
        assertThat(readFrom(publish(128), StartPosition.START).datagrams).isEmpty();
        assertThat(readFrom(publish(70), StartPosition.START).firstBytes()).isEqualTo(range(64, 70));
        assertThat(readFrom(publish(127), StartPosition.START).firstBytes()).isEqualTo(range(64, 127));
    }

    @Test
    void lateJoinAtLatestSkipsWhatWasWrittenBefore() throws IOException {
        Path file = publish(70);
        RtgReader reader = new RtgReader(FeedFiles.mapRtg(file), StartPosition.LATEST);
        assertThat(reader.position()).isEqualTo(6 * 128);
        assertThat(new Bytes.Collector().drain(reader).datagrams).isEmpty();
    }

    @Test
    void stalledReaderIsOverrunSilentlyAsTheLayoutCannotTell() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter writer = RtgWriter.open(file);
        RtgReader reader = new RtgReader(FeedFiles.mapRtg(file), StartPosition.START);
        writer.write(new byte[] {0}, 0, 1);
        Bytes.Collector got = new Bytes.Collector();
        reader.poll(got, 1);
        for (int i = 1; i <= 100; i++) {
            writer.write(new byte[] {(byte) i}, 0, 1);
        }

        got.drain(reader);

        assertThat(got.firstBytes()).isEqualTo(concatLists(List.of(0), range(65, 101)));
        assertThat(reader.lappedCount).isZero();
    }

    private static List<Integer> concatLists(List<Integer> a, List<Integer> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toList());
    }

    @Test
    void publisherRestartInPlaceZeroFillsAndTheWaitingReaderResumesAtItsSlot() throws IOException {
        Path file = publish(10);
        RtgReader reader = new RtgReader(FeedFiles.mapRtg(file), StartPosition.START);
        Bytes.Collector got = new Bytes.Collector().drain(reader);
        assertThat(got.firstBytes()).isEqualTo(range(0, 10));

        RtgWriter restarted = RtgWriter.open(file);
        for (int i = 0; i < 12; i++) {
            restarted.write(new byte[] {(byte) (100 + i)}, 0, 1);
        }
        got.drain(reader);

        assertThat(got.firstBytes()).isEqualTo(concatLists(range(0, 10), List.of(110, 111)));
    }

    @Test
    void lengthAbove120IsACountedCorruptSlot() throws IOException {
        byte[] image = new byte[8192];
        System.arraycopy(hex("01 00 00 00 00 00 00 ff"), 0, image, 0, 8);
        System.arraycopy(hex("01 00 00 00 00 00 00 01 2a"), 0, image, 128, 9);
        Path file = Files.write(dir.resolve("bad.dat"), image);

        Bytes.Collector got = readFrom(file, StartPosition.START);

        assertThat(got.firstBytes()).containsExactly(42);
        assertThat(got.events).containsExactly(new FeedEvent.CorruptSlot(0, 255, 1));
    }

    @Test
    void shortFileIsRejectedWithWhatWasFoundAndExpected() throws IOException {
        Path file = Files.write(dir.resolve("short.dat"), new byte[100]);

        assertThatThrownBy(() -> FeedFiles.mapRtg(file))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.CORRUPT))
                .hasMessageContaining("is 100 bytes: expected at least 8192");
    }

    @Test
    void publisherKeepsBytesBeyond8192AndReusesTheInode() throws IOException {
        Path file = Files.write(dir.resolve("big.dat"), hex("ff".repeat(9000)));
        Object key = FeedFiles.fileKey(file);

        RtgWriter.open(file);

        assertThat(FeedFiles.fileKey(file)).isEqualTo(key);
        assertThat(Files.size(file)).isEqualTo(9000);
        assertThat(Bytes.read(file, 0, 8192)).isEqualTo(new byte[8192]);
        assertThat(Bytes.read(file, 8192, 808)).containsOnly((byte) 0xff);
    }
}
