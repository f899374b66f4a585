package io.github.reactivepubsub.samples.web.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.mmap.FeedFileException;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.Level;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

class MmapMarketFeedTest {

    private static final MarketData BOOK = new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.ETF, 7,
            List.of(new Level(10100, 5), new Level(10200, 10)), List.of(new Level(10000, 20)));
    private static final MarketData TICKS = new MarketData(MessageType.TRADE_TICKS, Instrument.FUTURE, 2,
            List.of(new Level(10100, 3)), List.of());

    private final Hub hub = Hub.create();
    private final List<Message<MarketData>> received = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    @TempDir
    Path dir;

    @BeforeEach
    void subscribe() {
        subscription = hub.<MarketData>subscribe(Key.parse("market.**")).subscribe(received::add);
    }

    @AfterEach
    void closeHub() {
        subscription.dispose();
        hub.close();
    }

    /** The bridge publishes on the reader's poller thread: wait for it, bounded. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 5 s").isTrue();
    }

    @Test
    void writesRtgSlotsAndBridgesThemIntoTheHubTopics() throws Exception {
        Path file = dir.resolve("market.rtg");
        try (MmapMarketFeed feed = MmapMarketFeed.open(file, hub)) {
            feed.write(RtgCodec.encode(BOOK));
            feed.write(RtgCodec.encode(TICKS));

            await(() -> received.size() == 2);
            assertThat(received).containsExactly(new Message<>(Key.parse("market.book.ETF"), BOOK),
                    new Message<>(Key.parse("market.trades.FUTURE"), TICKS));
            assertThat(feed.written()).isEqualTo(2);
            assertThat(feed.rejected()).isZero();
            assertThat(feed.transport()).isEqualTo("shared-memory file " + file + " (RTG layout)");

            // the file is what Ready Trader Go's readers expect: 64 slots of 128 bytes, flag, BE length, payload
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            assertThat(bytes.capacity()).isEqualTo(8192);
            assertThat(slotFlag(bytes, 0)).isEqualTo(1);
            assertThat(slotPayload(bytes, 0)).isEqualTo(RtgCodec.encode(BOOK));
            assertThat(slotFlag(bytes, 1)).isEqualTo(1);
            assertThat(slotPayload(bytes, 1)).isEqualTo(RtgCodec.encode(TICKS));
            assertThat(slotFlag(bytes, 2)).as("stop marker").isZero();
        }
        assertThat(file).exists(); // a file the caller named is left behind, as Ready Trader Go does
    }

    private static int slotFlag(ByteBuffer file, int slot) {
        return file.get(128 * slot); // byte 0 of the little-endian flag word
    }

    private static byte[] slotPayload(ByteBuffer file, int slot) {
        int length = file.getInt(128 * slot + 4); // big-endian, ByteBuffer's default
        return Arrays.copyOfRange(file.array(), 128 * slot + 8, 128 * slot + 8 + length);
    }

    @Test
    void skipsAndCountsDatagramsThatDoNotDecode() throws Exception {
        try (MmapMarketFeed feed = MmapMarketFeed.open(dir.resolve("market.rtg"), hub)) {
            feed.write(new byte[] {0, 3, 10});
            byte[] unknownInstrument = RtgCodec.encode(BOOK);
            unknownInstrument[3] = 9;
            feed.write(unknownInstrument);
            feed.write(RtgCodec.encode(BOOK));

            await(() -> received.size() == 1);
            assertThat(received).extracting(Message::payload).containsExactly(BOOK);
            assertThat(feed.rejected()).isEqualTo(2);
        }
    }

    @Test
    void aSecondFeedOnTheSameFileIsRefused() {
        Path file = dir.resolve("market.rtg");
        try (MmapMarketFeed feed = MmapMarketFeed.open(file, hub)) {
            assertThatThrownBy(() -> MmapMarketFeed.open(file, hub)).isInstanceOfSatisfying(FeedFileException.class,
                    e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.LOCKED));
            assertThat(feed.file()).isEqualTo(file);
        }
    }

    @Test
    void aTemporaryFeedLivesInSharedMemoryAndIsDeletedOnClose() throws Exception {
        Path file;
        try (MmapMarketFeed feed = MmapMarketFeed.openTemporary(hub)) {
            file = feed.file();
            assertThat(file).exists().hasFileName(file.getFileName().toString());
            assertThat(file.getFileName().toString()).startsWith("reactive-pubsub-market-").endsWith(".rtg");
            if (Files.isDirectory(Path.of("/dev/shm"))) {
                assertThat(file.getParent()).isEqualTo(Path.of("/dev/shm"));
            }
            feed.write(RtgCodec.encode(TICKS));
            await(() -> received.size() == 1);
        }
        assertThat(file).doesNotExist();
        assertThat(file.resolveSibling(file.getFileName() + ".lock")).doesNotExist();
    }
}
