package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.Tck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK against a subscriber's datagram stream (TestNG, on the JUnit Platform); subclasses
 * choose the stream ({@link MmapSubscriber#datagrams()} and its variants).
 *
 * <p>Each TCK subscriber gets a fresh {@code NATIVE} file: a publisher writes exactly the requested number of
 * datagrams and closes the file, so the stream completes once every datagram was delivered (the subscriber reads
 * from the start). The file is as small as the largest stream needs (128 KiB holds 4,096 records of 24 bytes), and the
 * subscriber looks for the publisher's close every millisecond when idle instead of every 100 ms: a stream completes
 * as soon as its last datagram is out, which the TCK's hundred-run rule (3.1) waits for a hundred times. The stream's per-subscriber buffer holds what the poller read ahead of the TCK's demand, so the
 * largest stream the TCK may ask for is that buffer's size. The failed publisher reads a file whose first record
 * was corrupted (its type overwritten with 0): the stream must signal the {@code ProtocolException} without demand.
 */
abstract class DatagramsTck extends PublisherVerification<Datagram> {

    private static final PublisherOptions FILE = PublisherOptions.of(Layout.NATIVE).capacity(1 << 17);
    private static final ReaderOptions READER = ReaderOptions.of(Layout.NATIVE).start(StartPosition.START)
            .checkInterval(Duration.ofMillis(1));

    private final Path dir;
    private final AtomicInteger files = new AtomicInteger();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    DatagramsTck() {
        super(Tck.environment(), Tck.GC_MILLIS);
        try {
            dir = Files.createTempDirectory("datagrams-tck");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the stream under test */
    abstract Flux<Datagram> datagrams(MmapSubscriber subscriber);

    @Override
    public Publisher<Datagram> createPublisher(long elements) {
        return subscriber -> {
            Path file = dir.resolve("feed-" + files.incrementAndGet() + ".dat");
            MmapPublisher publisher = track(MmapPublisher.create(file, FILE));
            MmapSubscriber reader = track(MmapSubscriber.open(file, READER));
            datagrams(reader).subscribe(subscriber);
            for (long i = 0; i < elements; i++) {
                publisher.publish(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            publisher.close();
        };
    }

    @Override
    public Publisher<Datagram> createFailedPublisher() {
        Path file = dir.resolve("corrupt-" + files.incrementAndGet() + ".dat");
        MmapPublisher publisher = track(MmapPublisher.create(file, FILE));
        publisher.publish(new byte[] {1, 2, 3});
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zero = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0).flip();
            channel.write(zero, BroadcastDescriptor.HEADER_LENGTH + BroadcastDescriptor.RECORD_TYPE_OFFSET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MmapSubscriber reader = track(MmapSubscriber.open(file, READER));
        return datagrams(reader);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterMethod
    public void closeFiles() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
        resources.clear();
    }

    @AfterClass
    public void deleteDirectory() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
