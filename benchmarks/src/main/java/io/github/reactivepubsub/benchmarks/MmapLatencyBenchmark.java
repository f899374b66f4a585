package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapReader;
import io.github.reactivepubsub.mmap.PublisherOptions;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.mmap.StartPosition;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Round trip over two NATIVE files with busy-spinning readers: the benchmark thread publishes a 32-byte ping on
 * one file and spins until an echo thread, spinning on that file, has published it back on the other. One-way
 * latency = round trip / 2 (read p50 / p99 / p99.9 from the sample-time percentiles and halve them).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@State(Scope.Benchmark)
public class MmapLatencyBenchmark {

    private static final int CAPACITY = 1 << 16;

    private Path pingPath;
    private Path pongPath;
    private MmapPublisher ping;
    private MmapPublisher pong;
    private MmapReader pingReader;
    private MmapReader pongReader;
    private long pongs;
    private final MmapReader.DatagramHandler countPong = (payload, sequence) -> pongs++;
    private final byte[] payload = new byte[32];
    private Thread echo;
    private volatile boolean running;

    @Setup(Level.Trial)
    public void open() {
        pingPath = BenchFiles.newPath("ping");
        pongPath = BenchFiles.newPath("pong");
        ping = MmapPublisher.create(pingPath, PublisherOptions.of(Layout.NATIVE).capacity(CAPACITY));
        pong = MmapPublisher.create(pongPath, PublisherOptions.of(Layout.NATIVE).capacity(CAPACITY));
        ReaderOptions tail = ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL);
        pingReader = MmapReader.open(pingPath, tail);
        pongReader = MmapReader.open(pongPath, tail);
        running = true;
        byte[] echoed = new byte[payload.length]; // one ping in flight at a time: the echo thread's only buffer
        MmapReader.DatagramHandler echoBack = (datagram, sequence) -> {
            int length = datagram.remaining();
            datagram.get(echoed, 0, length);
            pong.publish(echoed, 0, length);
        };
        echo = new Thread(() -> {
            while (running) {
                if (pingReader.poll(echoBack, 16) == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        running = false;
        echo.join();
        pingReader.close();
        pongReader.close();
        ping.close();
        pong.close();
        BenchFiles.delete(pingPath);
        BenchFiles.delete(pongPath);
    }

    @Benchmark
    public long roundTrip() {
        long expected = pongs + 1;
        ping.publish(payload);
        while (pongs < expected) {
            if (pongReader.poll(countPong, 1) == 0) {
                Thread.onSpinWait();
            }
        }
        return pongs;
    }
}
