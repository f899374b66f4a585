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
        assertThatThrownBy(() -> FeedFactory.of("tcp", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown feed type 'tcp': expected 'mmap' (a file path) or 'shm' (a file under /dev/shm)");
        assertThatThrownBy(() -> FeedFactory.of("MMAP", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown feed type 'MMAP'");
    }

    @Test
    void mmapIsAPathAndShmAFileUnderDevShm() {
        assertThat(FeedFactory.of("mmap", "info.dat").path()).isEqualTo(Path.of("info.dat"));
        assertThat(FeedFactory.of("shm", "prices").path()).isEqualTo(Path.of("/dev/shm/prices"));
        assertThatThrownBy(() -> FeedFactory.of("shm", "a/b")).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> FeedFactory.of("mmap", "")).hasMessageContaining("feed name is empty");
    }

    @Test
    void shmPublisherAndSubscriberTalkThroughDevShm() {
        String name = "rps-test-" + UUID.randomUUID();
        try (MmapPublisher pub = FeedFactory.of("shm", name).publisher(PublisherOptions.of(Layout.NATIVE));
                MmapSubscriber sub = FeedFactory.of("shm", name).subscriber(
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

        assertThatThrownBy(() -> FeedFactory.of("mmap", missing.toString())
                .subscriber(ReaderOptions.of(Layout.RTG).openTimeout(Duration.ofMillis(50))))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.NOT_FOUND))
                .hasMessageContaining("no feed file after waiting PT0.05S")
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void shortFileStillShortAtTheDeadlineIsCorrupt() throws IOException {
        Path file = Files.write(dir.resolve("short.dat"), new byte[10]);

        assertThatThrownBy(() -> MmapSubscriber.open(file, ReaderOptions.of(Layout.RTG)))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.CORRUPT))
                .hasMessageContaining("RTG feed file is 10 bytes: expected at least 8192");
    }

    @Test
    void anRtgFileOpenedAsNativeIsAWrongMagic() throws IOException {
        Path file = dir.resolve("info.dat");
        RtgWriter.open(file).write(new byte[] {1, 2, 3}, 0, 3);

        assertThatThrownBy(() -> MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE)))
                .isInstanceOfSatisfying(FeedFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(FeedFileException.Reason.BAD_MAGIC))
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
