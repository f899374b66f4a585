package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher in a separate JVM ({@link CrossProcessWriter}) writes 1,000,000 numbered, checksummed messages; the
 * subscriber in this JVM checks order and integrity, and, when deliberately slowed, that the lost count equals
 * exactly the gaps it observed.
 */
class CrossProcessIT {

    private static final long COUNT = 1_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path file = (Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"))).resolve("rps-it-" + UUID.randomUUID());
    private Process child;

    @AfterEach
    void cleanUp() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
    }

    /** Observations of one run, written on the poller thread only. */
    private static final class Tally {
        final AtomicLong received = new AtomicLong();
        final AtomicLong corrupt = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong first = new AtomicLong(-1);
        final AtomicLong last = new AtomicLong();

        void accept(Datagram d) {
            long n = CrossProcessWriter.check(d.toByteArray());
            if (n < 0 || n != d.sequence()) {
                corrupt.incrementAndGet();
                return;
            }
            long previous = last.get();
            if (previous == 0) {
                first.set(n);
            } else if (n <= previous) {
                outOfOrder.incrementAndGet();
            } else {
                gaps.addAndGet(n - previous - 1);
            }
            last.set(n);
            received.incrementAndGet();
        }
    }

    private BufferedReader startWriter(int capacity) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, CrossProcessWriter.class.getName(), file.toString(),
                Long.toString(COUNT), Integer.toString(capacity));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        child = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(readLine(out)).isEqualTo("READY");
        return out;
    }

    /** Reads one line of the child's output on a plain thread, with a bounded wait. */
    private static String readLine(BufferedReader out) throws Exception {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                line.complete(out.readLine());
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return line.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private Tally run(int capacity, long slowEvery, long slowNanos, MmapSubscriber[] holder) throws Exception {
        BufferedReader out = startWriter(capacity);
        MmapSubscriber sub = MmapSubscriber.open(file, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL)
                .idle(IdleStrategy.busySpin()));
        holder[0] = sub;
        Tally tally = new Tally();
        CompletableFuture<Void> done = sub.datagrams(io.github.reactivepubsub.SubscribeOptions.defaults())
                .doOnNext(tally::accept)
                .doOnNext(d -> {
                    if (slowEvery > 0 && d.sequence() % slowEvery == 0) {
                        LockSupport.parkNanos(slowNanos); // a slow consumer on the poller thread
                    }
                })
                .then().toFuture();
        try (OutputStream in = child.getOutputStream()) {
            in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(readLine(out)).isEqualTo("DONE");
        done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        return tally;
    }

    @Test
    void millionMessagesArriveInOrderWithNoTornOrCorruptOne() throws Exception {
        MmapSubscriber[] sub = new MmapSubscriber[1];
        Tally tally = run(1 << 26, 0, 0, sub); // 64 MiB: all 1M records fit, the reader cannot be lapped

        assertThat(tally.corrupt).hasValue(0);
        assertThat(tally.outOfOrder).hasValue(0);
        assertThat(tally.first).hasValue(1);
        assertThat(tally.last).hasValue(COUNT);
        assertThat(tally.received).hasValue(COUNT);
        assertThat(sub[0].messagesLost()).isZero();
        assertThat(sub[0].lappedCount()).isZero();
        sub[0].close();
    }

    @Test
    void slowedSubscriberLosesExactlyTheCountedMessages() throws Exception {
        MmapSubscriber[] sub = new MmapSubscriber[1];
        Tally tally = run(1 << 16, 2_000, 1_000_000, sub); // 64 KiB ring, 1 ms pause every 2000 messages

        assertThat(tally.corrupt).hasValue(0);
        assertThat(tally.outOfOrder).hasValue(0);
        assertThat(sub[0].lappedCount()).isPositive();
        assertThat(sub[0].messagesLost()).isPositive().isEqualTo(tally.gaps.get());
        assertThat(tally.received.get() + tally.gaps.get()).isEqualTo(tally.last.get() - tally.first.get() + 1);
        assertThat(tally.last).hasValue(COUNT);
        System.out.printf("slowed subscriber: received %d, laps %d, lost %d (gaps observed %d)%n",
                tally.received.get(), sub[0].lappedCount(), sub[0].messagesLost(), tally.gaps.get());
        sub[0].close();
    }
}
