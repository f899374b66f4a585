package io.github.reactivepubsub.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.SubscribeOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The subscriber's hot Flux, poller thread, termination, restart and deletion handling, with real files. */
class MmapSubscriberTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private Path file() {
        return dir.resolve("feed.dat");
    }

    private MmapPublisher publisher(int capacity) {
        MmapPublisher p = MmapPublisher.create(file(), PublisherOptions.of(Layout.NATIVE).capacity(capacity));
        resources.add(p);
        return p;
    }

    private MmapSubscriber subscriber(ReaderOptions options) {
        MmapSubscriber s = MmapSubscriber.open(file(), options);
        resources.add(s);
        return s;
    }

    private static ReaderOptions nativeTail() {
        return ReaderOptions.of(Layout.NATIVE).start(StartPosition.TAIL).checkInterval(Duration.ofMillis(5));
    }

    private static byte[] numbered(long n) {
        return ByteBuffer.allocate(16).putLong(0, n).array();
    }

    private static void publish(MmapPublisher p, int from, int to) {
        for (int i = from; i <= to; i++) {
            p.publish(numbered(i));
        }
    }

    @Test
    void datagramsArriveInOrderOnTheFilesDaemonPollerThreadWhichIsNotNonBlocking() {
        MmapPublisher pub = publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());
        List<Boolean> nonBlocking = new CopyOnWriteArrayList<>();

        StepVerifier.create(sub.datagrams()
                        .doOnNext(d -> nonBlocking.add(Schedulers.isInNonBlockingThread()))
                        .map(d -> d.payload().getLong(0)).take(3))
                .then(() -> publish(pub, 1, 3))
                .expectNext(1L, 2L, 3L)
                .expectComplete()
                .verify(WAIT);

        assertThat(nonBlocking).containsExactly(false, false, false);
        assertThat(sub.pollerThread().isDaemon()).isTrue();
        assertThat(sub.pollerThread().getName()).startsWith("mmap-poller-");
        assertThat(sub.delivered()).isEqualTo(3);
    }

    @Test
    void aPollThatFailsWithAnErrorEndsTheStreamsWithItInsteadOfLeavingThemHanging() {
        MmapPublisher pub = publisher(1 << 16);
        FeedReader real = FeedReader.open(file(), nativeTail());
        AtomicBoolean fault = new AtomicBoolean();
        // what a file truncated under its mapping does to the next read
        FeedReader faulting = new FeedReader() {
            @Override
            int poll(Handler handler, int limit) {
                if (fault.get()) {
                    throw new InternalError("a fault occurred in an unsafe memory access operation");
                }
                return real.poll(handler, limit);
            }

            @Override
            boolean drainedAfterClose() {
                return real.drainedAfterClose();
            }

            @Override
            long activeHeartbeatMillis() {
                return real.activeHeartbeatMillis();
            }

            @Override
            long epoch() {
                return real.epoch();
            }

            @Override
            void remap(Path path) throws java.io.IOException {
                real.remap(path);
            }
        };
        MmapSubscriber sub = MmapSubscriber.over(file(), nativeTail(), faulting);
        resources.add(sub);

        StepVerifier.create(sub.datagrams().map(d -> d.payload().getLong(0)))
                .then(() -> publish(pub, 1, 1))
                .expectNext(1L)
                .then(() -> fault.set(true))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InternalError.class)
                        .hasMessageContaining("unsafe memory access"))
                .verify(WAIT);
        StepVerifier.create(sub.events()).expectComplete().verify(WAIT);
        assertThat(sub.isTerminated()).isTrue();
    }

    @Test
    void subscribersOfOneFileShareOnePollerThreadThatEndsWithTheLast() throws InterruptedException {
        publisher(1 << 16);
        MmapSubscriber a = subscriber(nativeTail());
        MmapSubscriber b = subscriber(nativeTail().idle(IdleStrategy.busySpin()));
        assertThat(a.pollerThread()).as("polling starts with the first subscription").isNull();
        a.events().subscribe();
        b.datagrams().subscribe();

        assertThat(a.pollerThread()).isNotNull().isSameAs(b.pollerThread());
        Thread poller = a.pollerThread();
        a.close();
        b.close();
        poller.join(WAIT.toMillis());
        assertThat(poller.isAlive()).isFalse();
    }

    @Test
    void closeCompletesTheDatagramAndEventStreams() {
        publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());

        StepVerifier.create(Flux.merge(sub.datagrams().then(), sub.events().then()))
                .then(sub::close)
                .expectComplete()
                .verify(WAIT);
        assertThat(sub.isTerminated()).isTrue();
        StepVerifier.create(sub.datagrams()).expectComplete().verify(WAIT);
    }

    @Test
    void publisherCloseCompletesTheStreamAfterEverythingWrittenIsDelivered() {
        MmapPublisher pub = publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());

        StepVerifier.create(sub.datagrams().map(Datagram::sequence))
                .then(() -> {
                    publish(pub, 1, 50);
                    pub.close();
                })
                .expectNextCount(50)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(sub.events()).expectNext(new FeedEvent.PublisherClosed()).expectComplete().verify(WAIT);
        assertThat(sub.delivered()).isEqualTo(50);
    }

    @Test
    void slowFluxSubscriberOverflowsItsOwnBufferWithoutHoldingBackOthers() {
        MmapPublisher pub = publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());
        AtomicLong dropped = new AtomicLong();
        Flux<Datagram> dropping = sub.datagrams(SubscribeOptions.defaults().bufferSize(4)
                .overflow(Overflow.DROP_OLDEST).onDrop(d -> dropped.incrementAndGet()));

        StepVerifier.create(sub.datagrams(SubscribeOptions.defaults().bufferSize(4)), 0)  // stalled, ERROR
                .then(() -> StepVerifier.create(dropping, 0)
                        .then(() -> StepVerifier.create(sub.datagrams().map(Datagram::sequence).take(10))
                                .then(() -> publish(pub, 1, 10))
                                .expectNextCount(10).expectComplete().verify(WAIT))
                        .thenRequest(10)
                        .expectNextCount(4)
                        .thenCancel()
                        .verify(WAIT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OverflowException.class))
                .verify(WAIT);
        assertThat(dropped).hasValue(6);
        assertThat(sub.messagesLost()).isZero();
    }

    @Test
    void subscriberBlockedInsideOnNextOnItsOwnSchedulerDoesNotHoldUpThePollerOrOthers() throws Exception {
        MmapPublisher pub = publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());
        Scheduler blocking = Schedulers.newBoundedElastic(1, 16, "blocked-subscriber");
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong dropped = new AtomicLong();
        List<Long> slowSeen = new CopyOnWriteArrayList<>();
        Disposable slow = null;
        try {
            int buffer = 8;
            slow = sub.datagrams(SubscribeOptions.defaults().bufferSize(buffer).overflow(Overflow.DROP_OLDEST)
                            .onDrop(d -> dropped.incrementAndGet()), blocking)
                    .subscribe(d -> {
                        slowSeen.add(d.payload().getLong(0));
                        try {
                            release.await(); // blocks this subscriber's thread, never the poller
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            int count = 1_000;
            StepVerifier.create(sub.datagrams().map(d -> d.payload().getLong(0)).take(count).count())
                    .then(() -> publish(pub, 1, count))
                    .expectNext((long) count)
                    .expectComplete()
                    .verify(WAIT);
            // the blocked subscriber holds its one datagram in onNext, the hop's prefetch and its buffer; the
            // rest was dropped by its own policy while the poller went on
            long held = 1 + MmapSubscriber.HOP_PREFETCH + buffer;
            long deadline = System.nanoTime() + WAIT.toNanos();
            // the slow subscriber's first onNext runs on its own thread, which may start after the last drop
            while ((dropped.get() < count - held || slowSeen.isEmpty()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(dropped.get()).isGreaterThanOrEqualTo(count - held).isLessThan(count);
            assertThat(slowSeen).containsExactly(1L);
        } finally {
            if (slow != null) {
                slow.dispose();
            }
            release.countDown();
            blocking.dispose();
        }
    }

    @Test
    void lapsAreCountedExactlyAndLossPolicyErrorFailsTheStream() {
        MmapPublisher pub = publisher(4096);
        MmapSubscriber sub = subscriber(nativeTail().lossPolicy(LossPolicy.ERROR));
        List<FeedEvent> events = new CopyOnWriteArrayList<>();
        sub.events().subscribe(events::add);

        StepVerifier.create(sub.datagrams()
                        .doOnNext(d -> LockSupport.parkNanos(20_000_000))) // slows the poller thread itself
                .then(() -> publish(pub, 1, 1))
                .expectNextCount(1)
                .then(() -> publish(pub, 2, 500))
                .thenConsumeWhile(d -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MessageLossException.class)
                        .hasMessageContaining("lapped"))
                .verify(WAIT);
        assertThat(sub.lappedCount()).isEqualTo(1);
        assertThat(events).first().isInstanceOf(FeedEvent.Lapped.class);
    }

    @Test
    void aCorruptTrailerFailsTheStreamNamingTheFileInsteadOfReportingLapsForever() throws Exception {
        MmapPublisher pub = publisher(4096);
        pub.publish(numbered(1));
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            // tailIntent (trailer offset 0) a hundred rings ahead of latest (0): a static, corrupt file
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100L * 4096), 128 + 4096);
        }
        MmapSubscriber sub = subscriber(ReaderOptions.of(Layout.NATIVE).start(StartPosition.LATEST));

        StepVerifier.create(sub.datagrams())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining(file().toString())
                        .hasMessageContaining("tailIntent 409600 and latest 0"))
                .verify(WAIT);
        assertThat(sub.lappedCount()).as("laps reported").isZero();
    }

    @Test
    void newPublisherOnThePathIsARestartWhenFollowing() {
        MmapPublisher first = publisher(1 << 16);
        long firstEpoch = first.epoch();
        MmapSubscriber sub = subscriber(nativeTail().followRestarts(true));
        List<FeedEvent> events = new CopyOnWriteArrayList<>();
        sub.events().subscribe(events::add);

        StepVerifier.create(sub.datagrams().map(d -> d.payload().getLong(0)).take(4))
                .then(() -> {
                    publish(first, 1, 2);
                    first.close();
                })
                .expectNext(1L, 2L)
                .then(() -> publish(publisher(1 << 16), 101, 102))
                .expectNext(101L, 102L)
                .expectComplete()
                .verify(WAIT);

        assertThat(sub.restartCount()).isEqualTo(1);
        assertThat(events).filteredOn(e -> e instanceof FeedEvent.Restarted).singleElement()
                .satisfies(e -> assertThat(((FeedEvent.Restarted) e).previousEpoch()).isEqualTo(firstEpoch));
        assertThat(events).contains(new FeedEvent.PublisherClosed());
    }

    @Test
    void deletedFileIsReportedAndTheLivePublishersDataStillArrives() throws Exception {
        MmapPublisher pub = publisher(1 << 16);
        MmapSubscriber sub = subscriber(nativeTail());

        StepVerifier.create(sub.events().take(1))
                .then(() -> delete(file()))
                .expectNext(new FeedEvent.FileDeleted(file()))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(sub.datagrams().map(Datagram::sequence).take(2))
                .then(() -> publish(pub, 1, 2))
                .expectNext(1L, 2L)
                .expectComplete()
                .verify(WAIT);
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void publisherThatStopsRefreshingItsHeartbeatIsReportedStale() throws Exception {
        NativeWriter.create(file(), 4096); // active, one heartbeat at creation, never refreshed: a crashed publisher
        MmapSubscriber sub = subscriber(nativeTail().staleTimeout(Duration.ofMillis(20)));

        StepVerifier.create(sub.events().take(1))
                .assertNext(e -> assertThat(e).isInstanceOfSatisfying(FeedEvent.PublisherStale.class,
                        stale -> assertThat(stale.millisSinceHeartbeat()).isGreaterThan(20)))
                .expectComplete()
                .verify(WAIT);
        assertThat(sub.isTerminated()).as("stale is a signal, not an end").isFalse();
    }

    @Test
    void rtgSubscriberReadsFromSlotZeroByDefault() {
        MmapPublisher pub = MmapPublisher.create(file(), PublisherOptions.of(Layout.RTG));
        resources.add(pub);
        pub.publish(new byte[] {1});
        pub.publish(new byte[] {2});
        MmapSubscriber sub = subscriber(ReaderOptions.of(Layout.RTG));

        StepVerifier.create(sub.datagrams().map(d -> d.toHex()).take(3))
                .then(() -> pub.publish(new byte[] {3}))
                .expectNext("01", "02", "03")
                .expectComplete()
                .verify(WAIT);
    }
}
