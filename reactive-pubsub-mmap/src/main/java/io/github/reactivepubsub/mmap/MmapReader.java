package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A feed read by polling on the caller's own thread, without a poller thread, a {@code Flux} or any allocation per
 * datagram: each datagram is copied into one reused scratch array (and checked for a torn read, as always) and
 * handed to the handler as a read-only view that is valid only during the call. For latency-critical loops that
 * own a thread; {@link MmapSubscriber} is the reactive, multi-subscriber choice.
 *
 * <pre>{@code
 * try (MmapReader reader = MmapReader.open(path, ReaderOptions.of(Layout.NATIVE))) {
 *     while (running) {
 *         if (reader.poll((payload, sequence) -> book.apply(payload), 64) == 0) {
 *             Thread.onSpinWait();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> Not thread-safe: one thread polls. The counters may be read from any thread.
 *
 * <p><b>Loss.</b> Counted, never silent: {@link #lappedCount()}, {@link #bytesSkipped()} and, for
 * {@link Layout#NATIVE}, the exact {@link #messagesLost()}. Under {@link LossPolicy#ERROR} the poll that meets the
 * first lap throws a {@link MessageLossException} instead, and the reader reads nothing more. A publisher restart
 * (new file, new epoch) is not followed: open a new reader.
 */
public final class MmapReader extends FeedCounts implements AutoCloseable {

    /** Receives one datagram. */
    @FunctionalInterface
    public interface DatagramHandler {

        /**
         * @param payload a read-only view of the datagram's bytes (position 0, limit = its length), valid only during
         *     this call: copy what you keep
         * @param sequence its sequence number ({@code NATIVE}: the publisher's; {@code RTG}: counted by the reader)
         */
        void onDatagram(ByteBuffer payload, long sequence);
    }

    private final Path path;
    private final ReaderOptions options;
    private final FeedReader reader;
    private final Receiver receiver = new Receiver();
    private volatile boolean closed;

    /** A reader over {@code reader}'s mapping: {@link #open} for users; tests build one over a mapping of their own. */
    MmapReader(Path path, ReaderOptions options, FeedReader reader) {
        this.path = path;
        this.options = options;
        this.reader = reader;
    }

    /**
     * Opens the file, waiting (retrying with back-off) up to {@link ReaderOptions#openTimeout()} for a publisher to
     * create and initialise it. Blocking: call it where blocking is allowed.
     *
     * @param path the feed file
     * @param options layout, start position, open timeout and loss policy (the idle strategy is the caller's)
     * @return the reader, positioned at the start position
     * @throws FeedFileException with {@link FeedFileException.Reason reason} {@code NOT_FOUND} when the file does
     *     not appear in time, {@code CORRUPT} when it is too short, uninitialised or inconsistent, {@code BAD_MAGIC}
     *     when it is not a {@code NATIVE} file (for {@code Layout.NATIVE}), {@code UNSUPPORTED_LAYOUT} when its
     *     {@code NATIVE} layout version is unknown
     */
    public static MmapReader open(Path path, ReaderOptions options) {
        Path absolute = path.toAbsolutePath().normalize();
        return new MmapReader(absolute, options, FeedReader.open(absolute, options));
    }

    /**
     * Reads up to {@code limit} datagrams (and loss events), handing each datagram to {@code handler} on this thread.
     *
     * @param handler receives each datagram as a view valid during the call
     * @param limit the most records to handle in this call (at least 1)
     * @return how many records and events were handled; {@code 0} when nothing was new (idle: back off)
     * @throws MessageLossException under {@link LossPolicy#ERROR}, at the first lap
     * @throws ProtocolException when the file is corrupt
     * @throws IllegalStateException once closed
     */
    public int poll(DatagramHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("reader of " + path + " is closed");
        }
        MessageLossException failed = receiver.failure;
        if (failed != null) {
            throw failed;
        }
        receiver.target = handler;
        try {
            int work = reader.poll(receiver, Math.max(1, limit));
            failed = receiver.failure;
            if (failed != null) {
                throw failed;
            }
            return work;
        } finally {
            receiver.target = null;
        }
    }

    /** @return the file read */
    public Path path() {
        return path;
    }

    @Override
    FeedReader feedReader() {
        return reader;
    }

    /** Stops reading; later polls throw. Idempotent. The mapping is released with the reader. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "MmapReader[" + options.layout() + " " + path + ", delivered=" + reader.delivered + "]";
    }

    /** Copies into one scratch array grown as needed and hands out a read-only view; turns a lap into a failure. */
    private final class Receiver implements FeedReader.Handler {

        @Nullable DatagramHandler target;
        @Nullable MessageLossException failure;
        private byte[] scratch = new byte[256];
        private ByteBuffer view = ByteBuffer.wrap(scratch).asReadOnlyBuffer();

        @Override
        public byte[] destination(int length) {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
                view = ByteBuffer.wrap(scratch).asReadOnlyBuffer();
            }
            return scratch;
        }

        @Override
        public void onPayload(byte[] bytes, int length, long sequence) {
            view.limit(length).position(0);
            DatagramHandler t = target;
            if (t != null) {
                t.onDatagram(view, sequence);
            }
        }

        @Override
        public void onDatagram(Datagram datagram) {
            throw new IllegalStateException("a raw reader receives payloads through onPayload, never datagrams");
        }

        @Override
        public void onEvent(FeedEvent event) {
            if (event instanceof FeedEvent.Lapped lap && options.lossPolicy() == LossPolicy.ERROR && failure == null) {
                failure = new MessageLossException("publisher lapped the reader of " + path + " (lap "
                        + lap.lappedCount() + ", " + lap.bytesSkipped() + " bytes skipped)", lap.lappedCount(),
                        lap.bytesSkipped());
            }
        }

        @Override
        public boolean stopped() {
            return failure != null;
        }
    }
}
