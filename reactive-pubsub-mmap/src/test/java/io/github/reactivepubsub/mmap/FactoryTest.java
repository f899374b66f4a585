package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Factory types and names, and the specific errors for unusable files. */
class FactoryTest {

    @TempDir
    Path dir;

    @Test
    void unknownTypeNamesTheValueAndTheTwoAllowed() {
        assertThatThrownBy(() -> new PublisherFactory("tcp", "x"))
                .isInstanceOf(UnknownFeedTypeException.class)
                .hasMessage("unknown feed type 'tcp': expected 'mmap' (a file path) or 'shm' (a file under /dev/shm)");
        assertThatThrownBy(() -> new SubscriberFactory("MMAP", "x")).isInstanceOf(UnknownFeedTypeException.class);
    }

    @Test
    void mmapIsAPathAndShmAFileUnderDevShm() {
        assertThat(new PublisherFactory("mmap", "info.dat").path()).isEqualTo(Path.of("info.dat"));
        assertThat(new SubscriberFactory("shm", "prices").path()).isEqualTo(Path.of("/dev/shm/prices"));
        assertThatThrownBy(() -> new SubscriberFactory("shm", "a/b")).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> new SubscriberFactory("mmap", "")).hasMessageContaining("feed name is empty");
    }

    @Test
    void shmPublisherAndSubscriberTalkThroughDevShm() {
        String name = "rps-test-" + UUID.randomUUID();
        try (MmapPublisher pub = new PublisherFactory("shm", name).create(PublisherOptions.of(Layout.NATIVE));
                MmapSubscriber sub = new SubscriberFactory("shm", name).create(
                        ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL))) {
            StepVerifier.create(sub.datagrams().map(Datagram::toHex).take(1))
                    .then(() -> pub.publish(new byte[] {(byte) 0xab, 0x01}))
                    .expectNext("ab01")
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        } finally {
            deleteQuietly(Path.of("/dev/shm", name));
            deleteQuietly(Path.of("/dev/shm", name + ".lock"));
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Test
    void missingFileFailsAfterTheOpenTimeout() {
        Path missing = dir.resolve("missing.dat");
        long start = System.nanoTime();

        assertThatThrownBy(() -> new SubscriberFactory("mmap", missing.toString())
                .create(ReaderOptions.of(Layout.RTG).openTimeout(Duration.ofMillis(50))))
                .isInstanceOf(FeedFileNotFoundException.class)
                .hasMessageContaining("no feed file after waiting PT0.05S")
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void shortFileStillShortAtTheDeadlineIsCorrupt() throws IOException {
        Path file = Files.write(dir.resolve("short.dat"), new byte[10]);

        assertThatThrownBy(() -> MmapSubscriber.open(file, ReaderOptions.of(Layout.RTG)))
                .isInstanceOf(CorruptFeedFileException.class)
                .hasMessageContaining("RTG feed file is 10 bytes: expected at least 8192");
    }

    @Test
    void anRtgFileOpenedAsNativeIsAWrongMagic() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter.open(file).write(new byte[] {1, 2, 3}, 0, 3);

        assertThatThrownBy(() -> MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE)))
                .isInstanceOf(BadMagicException.class)
                .hasMessageContaining("magic is \".......\u0003\" (01 00 00 00 00 00 00 03)".replace("\u0003", "."))
                .hasMessageContaining("expected \"RPSBCAST\"");
    }

    @Test
    void subscriberWaitsForAPublisherThatCreatesTheFileLater() throws Exception {
        Path file = dir.resolve("later.dat");
        Thread creator = new Thread(() -> {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a publisher starting after its readers
            MmapPublisher.create(file, PublisherOptions.of(Layout.NATIVE).capacity(4096)).close();
        });
        creator.start();

        try (MmapSubscriber sub = MmapSubscriber.open(file,
                ReaderOptions.of(Layout.NATIVE).openTimeout(Duration.ofSeconds(10)))) {
            assertThat(sub.layout()).isEqualTo(Layout.NATIVE);
        }
        creator.join();
    }
}
