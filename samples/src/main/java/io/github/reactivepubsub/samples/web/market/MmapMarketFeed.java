package io.github.reactivepubsub.samples.web.market;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.mmap.FeedBridge;
import io.github.reactivepubsub.mmap.FeedFactory;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.github.reactivepubsub.mmap.PublisherOptions;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.mmap.StartPosition;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A {@link MarketFeed} through a Ready Trader Go shared-memory file, as an exchange and its autotraders use it: the
 * simulator's datagrams are written with an {@code RTG} {@link MmapPublisher}, read back by an {@link MmapSubscriber}
 * on its poller thread, and a {@link FeedBridge} decodes each one and publishes it on the hub. Any other RTG reader
 * (Ready Trader Go's Python subscriber, its C++ kit, {@code MmapTail --format rtg}) can read the same file meanwhile.
 *
 * <p>Opening is blocking file I/O (create, zero, map): do it at start-up, not on an event loop. {@link #write} copies
 * into the mapping and never blocks on readers; the messages reach the hub on the subscriber's poller thread.
 *
 * <pre>{@code
 * try (MmapMarketFeed feed = MmapMarketFeed.open(Path.of("/dev/shm/market.rtg"), hub)) {
 *     feed.write(RtgCodec.encode(book));   // -> hub topic market.book.<instrument>
 * }
 * }</pre>
 */
public final class MmapMarketFeed implements MarketFeed {

    private static final Logger LOG = Loggers.getLogger(MmapMarketFeed.class);

    private final Path file;
    private final boolean temporary;
    private final MmapPublisher publisher;
    private final MmapSubscriber subscriber;
    private final FeedBridge bridge;
    private final AtomicLong written = new AtomicLong();

    private MmapMarketFeed(Path file, boolean temporary, MmapPublisher publisher, MmapSubscriber subscriber,
            FeedBridge bridge) {
        this.file = file;
        this.temporary = temporary;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.bridge = bridge;
    }

    /**
     * Creates (or zeroes) the RTG file, attaches a reader at its start and bridges it into the hub.
     *
     * @param file the feed file (its sibling {@code <name>.lock} is the publisher's lock)
     * @param hub where the decoded messages are published (not closed by this feed)
     * @return the feed
     * @throws io.github.reactivepubsub.mmap.FeedFileException ({@code LOCKED}) when another publisher holds the file
     * @throws java.io.UncheckedIOException when the file cannot be created or mapped
     */
    public static MmapMarketFeed open(Path file, Hub hub) {
        return open(file, false, hub);
    }

    /**
     * Like {@link #open(Path, Hub)} on a new file of its own under {@code /dev/shm} (or the temporary directory
     * where there is none), deleted with its lock file on {@link #close()}.
     *
     * @param hub where the decoded messages are published
     * @return the feed
     * @throws UncheckedIOException when the file cannot be created or mapped
     */
    public static MmapMarketFeed openTemporary(Hub hub) {
        Path dir = FeedFactory.sharedMemoryDirectory();
        Path file;
        try {
            file = Files.createTempFile(dir, "reactive-pubsub-market-", ".rtg");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a market feed file in " + dir, e);
        }
        try {
            return open(file, true, hub);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static MmapMarketFeed open(Path file, boolean temporary, Hub hub) {
        MmapPublisher publisher = MmapPublisher.create(file, PublisherOptions.of(Layout.RTG));
        MmapSubscriber subscriber = null;
        try {
            // the publisher has just zeroed the file: slot 0 is where its first datagram goes
            subscriber = MmapSubscriber.open(file, ReaderOptions.of(Layout.RTG).start(StartPosition.START));
            FeedBridge bridge = FeedBridge.feedToHub(subscriber, hub,
                    datagram -> MarketTopics.keyOf(datagram.payload()),
                    datagram -> RtgCodec.decode(datagram.toByteArray()));
            LOG.info("market feed: Ready Trader Go file " + file + " (RTG layout, 8192 bytes)");
            return new MmapMarketFeed(file, temporary, publisher, subscriber, bridge);
        } catch (RuntimeException e) {
            if (subscriber != null) {
                subscriber.close();
            }
            publisher.close();
            throw e;
        }
    }

    @Override
    public void write(byte[] datagram) {
        publisher.publish(datagram);
        written.incrementAndGet();
    }

    @Override
    public String transport() {
        return "shared-memory file " + file + " (RTG layout)";
    }

    @Override
    public long written() {
        return written.get();
    }

    @Override
    public long rejected() {
        return bridge.rejected();
    }

    /** @return the feed file */
    public Path file() {
        return file;
    }

    /** Stops the bridge, the reader and the writer; deletes the file and its lock file if it was temporary. */
    @Override
    public void close() {
        bridge.dispose();
        subscriber.close();
        publisher.close();
        if (temporary) {
            deleteQuietly(file);
            deleteQuietly(file.resolveSibling(file.getFileName() + ".lock"));
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("market feed: could not delete " + path, e);
        }
    }

    @Override
    public String toString() {
        return "MmapMarketFeed[" + file + ", written=" + written + ", bridged=" + bridge.forwarded() + "]";
    }
}
