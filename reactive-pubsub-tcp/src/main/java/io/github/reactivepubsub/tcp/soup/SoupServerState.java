package io.github.reactivepubsub.tcp.soup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Transport-independent state of a SoupBinTCP server: options, sessions by name, the current session, and the
 * bounded hot stream of unsequenced data from all clients.
 *
 * <p>The unsequenced buffer is bounded by count (the sink's queue) and by bytes: {@link #bufferedBytes} counts what
 * was offered and has not yet left the sink's queue. A message leaves the queue when the sink hands it to its
 * subscribers, so the first subscriber to see a message takes its bytes off the count ({@link Buffered#leave()}).
 */
final class SoupServerState {

    /** What one buffered unsequenced message counts beyond its payload: the objects around it and its queue slot. */
    static final int MESSAGE_OVERHEAD = 64;

    private static final Logger LOG = Loggers.getLogger(SoupBinTcpServer.class);

    final SoupServerOptions options;
    private final Map<String, SoupSession> sessions = new ConcurrentHashMap<>();
    private volatile @Nullable SoupSession current;
    /** What the connections record into; the sequence position is the current session's. */
    final SoupStats stats = new SoupStats(() -> {
        SoupSession session = current;
        return session == null ? 0 : session.store().nextSequence();
    });
    private final Sinks.Many<Buffered> unsequenced;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong droppedUnsequenced = new AtomicLong();

    SoupServerState(SoupServerOptions options) {
        this.options = options;
        this.unsequenced = Sinks.many().multicast().onBackpressureBuffer(options.unsequencedBufferSize(), false);
    }

    SoupSession createSession(String name) {
        SoupFields.checkAscii("session", name, SoupPacket.SESSION_WIDTH);
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("session name '" + name + "' must be non-blank without surrounding "
                    + "spaces (a blank name in a login means the current session)");
        }
        SoupSession session = new SoupSession(name, options.storeFactory().apply(name));
        if (sessions.putIfAbsent(name, session) != null) {
            throw new IllegalStateException("session " + name + " already exists");
        }
        current = session;
        return session;
    }

    @Nullable SoupSession session(String name) {
        return sessions.get(name);
    }

    /** @return the session a login asks for: {@code requested}, or the current one when blank */
    @Nullable SoupSession resolve(String requested) {
        return requested.isEmpty() ? current : sessions.get(requested);
    }

    /**
     * Offers a message to the application; drops, counts and logs it when the buffer holds
     * {@link SoupServerOptions#unsequencedBufferSize()} messages already, or when its bytes would take the buffer
     * beyond {@link SoupServerOptions#unsequencedBufferBytes()} (a message is accepted whatever its size when
     * nothing is buffered).
     */
    void deliver(UnsequencedMessage message) {
        Buffered entry = new Buffered(message, bufferedBytes);
        Sinks.EmitResult result = null;
        long held;
        synchronized (unsequenced) {
            // only offers add bytes, under this lock: what leaves the queue concurrently only makes more room
            held = bufferedBytes.get();
            boolean fits = held == 0 || held + entry.bytes <= options.unsequencedBufferBytes();
            if (fits) {
                bufferedBytes.addAndGet(entry.bytes);
                result = unsequenced.tryEmitNext(entry);
                if (result.isFailure()) {
                    entry.leave();
                }
            }
        }
        if (result == null) {
            long dropped = droppedUnsequenced.incrementAndGet();
            LOG.warn("SoupBinTCP server: dropped {} ({} bytes with its overhead; {} bytes already buffered, "
                    + "unsequencedBufferBytes {}; {} dropped so far)", message, entry.bytes, held,
                    options.unsequencedBufferBytes(), dropped);
        } else if (result.isFailure()) {
            long dropped = droppedUnsequenced.incrementAndGet();
            LOG.warn("SoupBinTCP server: dropped {} ({}; {} dropped so far; buffer {} messages)", message, result,
                    dropped, options.unsequencedBufferSize());
        }
    }

    Flux<UnsequencedMessage> unsequenced() {
        return unsequenced.asFlux().map(Buffered::leave);
    }

    /** @return the bytes of the unsequenced messages waiting for subscribers, overhead included */
    long bufferedUnsequencedBytes() {
        return bufferedBytes.get();
    }

    long droppedUnsequenced() {
        return droppedUnsequenced.get();
    }

    void close() {
        synchronized (unsequenced) {
            unsequenced.tryEmitComplete();
        }
    }

    /** An unsequenced message in the sink's queue, with what it counts against the byte bound. */
    private static final class Buffered {

        private static final AtomicIntegerFieldUpdater<Buffered> LEFT =
                AtomicIntegerFieldUpdater.newUpdater(Buffered.class, "left");

        final UnsequencedMessage message;
        final long bytes;
        private final AtomicLong buffered;
        private volatile int left;

        Buffered(UnsequencedMessage message, AtomicLong buffered) {
            this.message = message;
            this.bytes = message.payloadLength() + (long) MESSAGE_OVERHEAD;
            this.buffered = buffered;
        }

        /** Takes the message's bytes off the buffer's count, once: every subscriber calls it. */
        UnsequencedMessage leave() {
            if (LEFT.compareAndSet(this, 0, 1)) {
                buffered.addAndGet(-bytes);
            }
            return message;
        }
    }
}
