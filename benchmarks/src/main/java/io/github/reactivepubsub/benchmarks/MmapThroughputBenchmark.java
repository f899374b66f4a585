package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.mmap.IdleStrategy;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapReader;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.github.reactivepubsub.mmap.PublisherOptions;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.mmap.StartPosition;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * NATIVE broadcast throughput, one writer thread and one reader thread over a 16 MiB ring in /dev/shm, against
 * Agrona's {@code BroadcastTransmitter} + {@code CopyBroadcastReceiver} over a mapped file of the same capacity,
 * same payload sizes, same run. The figure is the reader's {@code received}: datagrams delivered per second.
 *
 * <p>Both layouts let a writer lap a slow reader; measured flat out on a small shared machine that mostly measures
 * the scheduler (a writer alone on a core for a time slice laps the reader many times). So the writer holds back
 * while it is more than half the ring ahead of what the reader has consumed (a volatile count the reader
 * publishes): {@code received} is then the sustainable, loss-free rate of writer and reader together.
 *
 * <ul>
 *   <li>{@code nativeRaw}: {@link MmapPublisher#publish} and the public {@link MmapReader} polled directly (one
 *       reused scratch array, a read-only view per datagram, as Agrona's copy receiver);</li>
 *   <li>{@code nativeFlux}: the same writer, read through {@link MmapSubscriber#datagrams()} on its busy-spin
 *       poller thread (the group's reader thread only samples the count);</li>
 *   <li>{@code agrona}: the anchor.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
public class MmapThroughputBenchmark {

    static final int CAPACITY = 1 << 24;
    static final int POLL_LIMIT = 64;

    /** Back-pressure between the group's writer and reader: at most half the ring in flight. */
    @State(Scope.Group)
    public static class Window {
        volatile long consumed; // written by the reading thread only
        long published;         // writer thread only
        long limit;

        @Setup(Level.Trial)
        public void size(Size size) {
            limit = CAPACITY / 2 / (size.size + 16);
        }

        /** Publishes one message through {@code sender} unless the window is full. Writer thread only. */
        void offer(Sender sender) {
            if (published - consumed >= limit) {
                Thread.onSpinWait();
                return;
            }
            sender.send();
            published++;
        }
    }

    /** The writer side of one group's state. */
    interface Sender {
        void send();
    }

    /** Datagrams received per second by the reader thread, and laps (expected: none inside the window). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Received {
        public long received;
        public long laps;

        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            laps = 0;
        }
    }

    /** Message size shared by every state of one benchmark. */
    @State(Scope.Benchmark)
    public static class Size {
        @Param({"64", "512"})
        public int size;
    }

    /** Our publisher on a new NATIVE file; the subclasses add the reading side. */
    abstract static class NativeGroup implements Sender {
        Path path;
        MmapPublisher publisher;
        byte[] payload;

        @Override
        public void send() {
            publisher.publish(payload);
        }

        void create(String prefix, Size size) {
            path = BenchFiles.newPath(prefix);
            publisher = MmapPublisher.create(path, PublisherOptions.of(Layout.NATIVE).capacity(CAPACITY));
            payload = new byte[size.size];
        }

        void delete() {
            publisher.close();
            BenchFiles.delete(path);
        }
    }

    /** Our publisher plus the public raw reader ({@link MmapReader}), polled by the group's reader thread. */
    @State(Scope.Group)
    public static class NativeRaw extends NativeGroup {
        MmapReader reader;
        long datagrams;
        final MmapReader.DatagramHandler handler = (payload, sequence) -> datagrams++;

        @Setup(Level.Trial)
        public void open(Size size) {
            create("raw", size);
            reader = MmapReader.open(path, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL));
        }

        @TearDown(Level.Trial)
        public void close() {
            reader.close();
            delete();
        }
    }

    /** Our publisher plus a subscriber's Flux on its own busy-spin poller thread. */
    @State(Scope.Group)
    public static class NativeFlux extends NativeGroup {
        MmapSubscriber subscriber;
        volatile long delivered; // written by the poller thread only
        long seen;

        @Setup(Level.Trial)
        public void open(Size size) {
            create("flux", size);
            subscriber = MmapSubscriber.open(path, ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL)
                    .idle(IdleStrategy.busySpin()));
            subscriber.datagrams().subscribe(d -> delivered = delivered + 1);
            subscriber.events().subscribe(); // laps: counted by the subscriber
        }

        @TearDown(Level.Trial)
        public void close() {
            subscriber.close();
            delete();
        }
    }

    /** Agrona's transmitter and copying receiver over a mapped file of the same capacity. */
    @State(Scope.Group)
    public static class Agrona implements Sender {
        Path path;
        BroadcastTransmitter transmitter;
        CopyBroadcastReceiver receiver;
        UnsafeBuffer source;
        int size;
        long received;
        final org.agrona.concurrent.MessageHandler handler = (type, buffer, index, length) -> received++;
        long laps;

        @Override
        public void send() {
            transmitter.transmit(1, source, 0, size);
        }

        @Setup(Level.Trial)
        public void open(Size sizes) {
            path = BenchFiles.newPath("agrona");
            MappedByteBuffer mapped = BenchFiles.mapNew(path, CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
            UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            transmitter = new BroadcastTransmitter(buffer);
            receiver = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
            size = sizes.size;
            source = new UnsafeBuffer(new byte[size]);
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchFiles.delete(path);
        }
    }

    @Benchmark
    @Group("nativeRaw")
    @GroupThreads(1)
    public void nativeRawWrite(NativeRaw s, Window w) {
        w.offer(s);
    }

    @Benchmark
    @Group("nativeRaw")
    @GroupThreads(1)
    public void nativeRawRead(NativeRaw s, Received r, Window w) {
        long before = s.datagrams;
        s.reader.poll(s.handler, POLL_LIMIT);
        r.received += s.datagrams - before;
        w.consumed = s.datagrams + s.reader.messagesLost();
        r.laps = s.reader.lappedCount();
    }

    @Benchmark
    @Group("nativeFlux")
    @GroupThreads(1)
    public void nativeFluxWrite(NativeFlux s, Window w) {
        w.offer(s);
    }

    @Benchmark
    @Group("nativeFlux")
    @GroupThreads(1)
    public void nativeFluxRead(NativeFlux s, Received r, Window w) {
        LockSupport.parkNanos(20_000); // the poller thread reads; this thread only samples its count
        long now = s.delivered;
        r.received += now - s.seen;
        s.seen = now;
        w.consumed = now + s.subscriber.messagesLost();
        r.laps = s.subscriber.lappedCount();
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public void agronaWrite(Agrona s, Window w) {
        w.offer(s);
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public void agronaRead(Agrona s, Received r, Window w) {
        long before = s.received;
        try {
            for (int i = 0; i < POLL_LIMIT && s.receiver.receive(s.handler) > 0; i++) {
                // receive one message per call
            }
        } catch (IllegalStateException lapped) {
            s.laps++; // "unable to keep up with broadcast": cannot happen inside the window; reported as laps
        }
        r.received += s.received - before;
        w.consumed = s.received;
        r.laps = s.laps;
    }
}
