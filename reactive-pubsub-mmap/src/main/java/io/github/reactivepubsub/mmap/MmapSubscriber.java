package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.BoundedBuffer;
import io.github.reactivepubsub.SubscribeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Reads one feed file and offers its datagrams as a hot {@link Flux}. Each {@code MmapSubscriber} has its own
 * read position and its own loss counters; any number of them, in any number of processes, read the same file.
 *
 * <p><b>Threading.</b> All subscribers of one file in this JVM are polled by one dedicated daemon thread (never a
 * Reactor {@code NonBlocking} thread), idling with {@link ReaderOptions#idle()}. Datagrams and events are emitted
 * on that thread. The counters are readable from any thread.
 *
 * <p><b>Backpressure.</b> The file never waits for a reader. Each {@code Flux} subscriber of {@link #datagrams()}
 * gets its own bounded buffer and the hub's overflow policy ({@link SubscribeOptions}): a slow subscriber
 * overflows its own buffer (an {@code OverflowException}, or counted drops) and never stalls the poller or the
 * other subscribers. A poller that falls a whole ring behind the publisher is lapped: counted, never silent.
 *
 * <p><b>Loss.</b> {@code NATIVE}: {@link #lappedCount()}, {@link #bytesSkipped()} and the exact
 * {@link #messagesLost()} (from sequence numbers), a {@link FeedEvent.Lapped} / {@link FeedEvent.Lost} on
 * {@link #events()}, and, with {@link LossPolicy#ERROR}, a {@link MessageLossException} in the datagram stream.
 * {@code RTG}: the layout cannot reveal loss (no sequence numbers); only corrupt slots are counted.
 *
 * <p><b>Termination.</b> The datagram {@code Flux} completes on {@link #close()} and when a {@code NATIVE}
 * publisher closes (after everything it wrote was delivered; unless {@link ReaderOptions#followRestarts(boolean)});
 * it errors on a corrupt file or a loss under {@link LossPolicy#ERROR}. Termination is signalled exactly once.
 *
 * <pre>{@code
 * MmapSubscriber feed = FeedFactory.of("shm", "prices").subscriber(ReaderOptions.of(Layout.NATIVE));
 * feed.datagrams().map(Datagram::toHex).subscribe(System.out::println);
 * }</pre>
 */
public final class MmapSubscriber extends FeedCounts implements AutoCloseable {

    private static final int POLL_LIMIT = 1024;
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    private final Path path;
    private final ReaderOptions options;
    private final FeedReader reader;
    private final Sinks.Many<Datagram> datagrams = Sinks.unsafe().many().multicast().directBestEffort();
    private final Sinks.Many<FeedEvent> events = Sinks.unsafe().many().multicast().onBackpressureBuffer(256, false);
    private final long checkIntervalNanos;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile @Nullable Poller poller;
    private volatile boolean closeRequested;
    private volatile boolean terminated;
    private volatile long restartCount;

    // poller-thread state
    private boolean subscribed;
    private @Nullable Object fileKey;
    private long lastCheck;
    private boolean deletedReported;
    private boolean closedReported;
    private boolean staleReported;
    private @Nullable Throwable failure;

    private MmapSubscriber(Path path, ReaderOptions options, FeedReader reader, @Nullable Object fileKey) {
        this.path = path;
        this.options = options;
        this.reader = reader;
        this.fileKey = fileKey;
        this.checkIntervalNanos = options.checkInterval().toNanos();
        this.lastCheck = System.nanoTime();
    }

    /** @return a subscriber over {@code reader} (tests: a reader that fails as a faulting mapping would) */
    static MmapSubscriber over(Path path, ReaderOptions options, FeedReader reader) {
        Path absolute = path.toAbsolutePath().normalize();
        return new MmapSubscriber(absolute, options, reader, FeedFiles.fileKey(absolute));
    }

    /** Starts polling on the first subscription to either stream, so that nothing read is lost before it. */
    private void start() {
        if (state.compareAndSet(NEW, STARTED)) {
            poller = Poller.attach(path.toString(), this, options.idle());
        }
    }

    /**
     * Opens the file and starts reading it, waiting (retrying with back-off) up to
     * {@link ReaderOptions#openTimeout()} for a publisher to create and initialise it. Blocking: call it where
     * blocking is allowed, e.g. {@code Mono.fromCallable(() -> MmapSubscriber.open(p, o))
     * .subscribeOn(Schedulers.boundedElastic())}.
     *
     * @param path the feed file
     * @param options layout, start position, idle strategy, timeouts, loss policy
     * @return the subscriber; polling starts with the first subscription to {@link #datagrams()} or
     *     {@link #events()}, so that subscriber sees everything from the start position
     * @throws FeedFileException with {@link FeedFileException.Reason reason} {@code NOT_FOUND} when the file does
     *     not appear in time, {@code CORRUPT} when it is too short, uninitialised or inconsistent, {@code BAD_MAGIC}
     *     when it is not a {@code NATIVE} file (for {@code Layout.NATIVE}), {@code UNSUPPORTED_LAYOUT} when its
     *     {@code NATIVE} layout version is unknown
     */
    public static MmapSubscriber open(Path path, ReaderOptions options) {
        Path absolute = path.toAbsolutePath().normalize();
        return new MmapSubscriber(absolute, options, FeedReader.open(absolute, options), FeedFiles.fileKey(absolute));
    }

    /**
     * The datagrams, hot, each {@code Flux} subscriber with a buffer of
     * {@value SubscribeOptions#DEFAULT_BUFFER_SIZE} and {@code Overflow.ERROR}.
     *
     * @return the datagram stream; see the class notes on threading and termination
     */
    public Flux<Datagram> datagrams() {
        return datagrams(SubscribeOptions.defaults());
    }

    /**
     * The datagrams, hot: a {@code Flux} subscriber sees those read after it subscribed. Each subscriber gets its
     * own bounded buffer and overflow policy; its drops go to {@code options}' drop listener.
     *
     * @param options buffer size, overflow policy and drop listener, per {@code Flux} subscriber
     * @return the datagram stream
     */
    public Flux<Datagram> datagrams(SubscribeOptions options) {
        return datagrams.asFlux().transform(BoundedBuffer.of("feed " + path, options))
                .doOnSubscribe(s -> start());
    }

    /**
     * The datagrams, hot, delivered on {@code deliverOn} instead of the poller thread: a subscriber that is slow
     * <em>inside</em> {@code onNext} (blocking I/O, heavy work) then never holds up the poller or the file's other
     * subscribers; when it falls behind, its own buffer fills and {@code options}' overflow policy applies. The
     * poller only hands each datagram to the buffer. Costs a thread hop per batch; {@link #datagrams(SubscribeOptions)}
     * is the lower-latency choice for subscribers whose {@code onNext} is short.
     *
     * <p>Memory per subscriber stays bounded by {@code options.bufferSize()} plus the hop's prefetch of
     * {@value #HOP_PREFETCH} datagrams.
     *
     * <pre>{@code
     * sub.datagrams(SubscribeOptions.defaults().overflow(Overflow.DROP_OLDEST), Schedulers.boundedElastic())
     *    .subscribe(d -> database.insert(d.toByteArray()));   // blocking, off the poller
     * }</pre>
     *
     * @param options buffer size, overflow policy and drop listener, per {@code Flux} subscriber
     * @param deliverOn where {@code onNext} runs (use {@code Schedulers.boundedElastic()} for blocking work)
     * @return the datagram stream
     */
    public Flux<Datagram> datagrams(SubscribeOptions options, Scheduler deliverOn) {
        return datagrams(options).publishOn(deliverOn, HOP_PREFETCH);
    }

    /** Datagrams the scheduler hop of {@link #datagrams(SubscribeOptions, Scheduler)} holds beside the buffer. */
    static final int HOP_PREFETCH = 32;

    /**
     * Loss, restart, close, deletion, corruption and liveness events, hot, in the order they happened relative to
     * each other. Up to 256 events are buffered while no subscriber has demand; beyond that events are dropped
     * from this side channel (the counters still hold them). Completes when the subscriber terminates.
     *
     * @return the event stream
     */
    public Flux<FeedEvent> events() {
        return events.asFlux().doOnSubscribe(s -> start());
    }

    @Override
    FeedReader feedReader() {
        return reader;
    }

    /** @return slots skipped because their length field was out of range ({@code RTG}) */
    public long corruptCount() {
        return reader.corruptCount;
    }

    /** @return how many times a new publisher (new epoch or new file) was detected */
    public long restartCount() {
        return restartCount;
    }

    /** @return the feed file */
    public Path path() {
        return path;
    }

    /** @return the layout */
    public Layout layout() {
        return options.layout();
    }

    /** @return whether the datagram stream has terminated (closed, publisher closed, or failed) */
    public boolean isTerminated() {
        return terminated;
    }

    /** @return the poller thread (one per file, shared); {@code null} before the first subscription */
    @Nullable Thread pollerThread() {
        Poller p = poller;
        return p != null ? p.thread() : null;
    }

    /**
     * Stops reading: the datagram and event streams complete (on the poller thread, promptly; on the calling
     * thread if polling never started) and the poller thread ends if this was its last subscriber. Idempotent,
     * non-blocking, any thread.
     */
    @Override
    public void close() {
        if (state.compareAndSet(NEW, CLOSED)) {
            terminate(null); // never polled: no other thread emits
            return;
        }
        closeRequested = true;
        Poller p = poller;
        if (p != null) {
            p.wake();
        }
    }

    /**
     * One poll, on the poller thread.
     *
     * @return the work done, or {@code -1} once terminated (the poller then drops this subscriber)
     */
    int pollOnce(long now) {
        if (terminated) {
            return -1;
        }
        if (closeRequested) {
            terminate(null);
            return -1;
        }
        if (!subscribed) {
            // start() runs in onSubscribe, just before the sink registers the subscriber: wait until it has
            subscribed = datagrams.currentSubscriberCount() > 0 || events.currentSubscriberCount() > 0;
            return 0;
        }
        int work;
        try {
            work = reader.poll(handler, POLL_LIMIT);
            if (work == 0 && now - lastCheck >= checkIntervalNanos) {
                lastCheck = now;
                checkFile();
            }
        } catch (RuntimeException | Error e) {
            // An Error too: a file truncated under its mapping faults as an InternalError, and memory may run out.
            // Either ends this file's streams with it; left to the poller, they would never terminate.
            failure = e;
            work = 0;
        }
        if (failure != null || terminated) {
            terminate(failure);
            return -1;
        }
        return work;
    }

    private final FeedReader.Handler handler = new FeedReader.Handler() {
        @Override
        public void onDatagram(Datagram datagram) {
            if (failure == null) {
                datagrams.tryEmitNext(datagram); // no subscriber: a hot stream does not keep it
            }
        }

        @Override
        public void onEvent(FeedEvent event) {
            events.tryEmitNext(event);
            if (event instanceof FeedEvent.Lapped && options.lossPolicy() == LossPolicy.ERROR && failure == null) {
                FeedEvent.Lapped lap = (FeedEvent.Lapped) event;
                failure = new MessageLossException("publisher lapped the subscriber of " + path + " (lap "
                        + lap.lappedCount() + ", " + lap.bytesSkipped() + " bytes skipped)", lap.lappedCount(),
                        lap.bytesSkipped());
            }
        }

        @Override
        public boolean stopped() {
            return failure != null; // under LossPolicy.ERROR nothing is read (or counted) after the first lap
        }
    };

    /** Idle-time checks: publisher closed or stale, file deleted or replaced. May block briefly (file metadata). */
    private void checkFile() {
        if (reader.drainedAfterClose()) {
            if (!closedReported) {
                closedReported = true;
                handler.onEvent(new FeedEvent.PublisherClosed());
            }
            if (!options.followRestarts()) {
                terminated = true;
                return;
            }
        }
        long heartbeat = reader.activeHeartbeatMillis();
        if (heartbeat > 0) {
            long age = System.currentTimeMillis() - heartbeat;
            boolean stale = age > options.staleTimeout().toMillis();
            if (stale && !staleReported) {
                handler.onEvent(new FeedEvent.PublisherStale(age));
            }
            staleReported = stale;
        }
        Object key = FeedFiles.fileKey(path);
        if (key == null) {
            if (!deletedReported) {
                deletedReported = true;
                handler.onEvent(new FeedEvent.FileDeleted(path));
            }
        } else if (!key.equals(fileKey)) {
            remap(key);
        }
    }

    private void remap(Object key) {
        long previousEpoch = reader.epoch();
        try {
            reader.remap(path);
        } catch (FeedFiles.NotReadyException | IOException e) {
            return; // a publisher is still creating it: try again at the next check
        }
        fileKey = key;
        deletedReported = false;
        closedReported = false;
        staleReported = false;
        long count = restartCount + 1;
        restartCount = count;
        handler.onEvent(new FeedEvent.Restarted(previousEpoch, reader.epoch(), count));
    }

    private void terminate(@Nullable Throwable error) {
        terminated = true;
        if (error != null) {
            datagrams.tryEmitError(error);
        } else {
            datagrams.tryEmitComplete();
        }
        events.tryEmitComplete();
    }

    @Override
    public String toString() {
        return "MmapSubscriber[" + options.layout() + " " + path + "]";
    }
}
