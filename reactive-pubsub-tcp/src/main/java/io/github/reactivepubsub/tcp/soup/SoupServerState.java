package io.github.reactivepubsub.tcp.soup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Transport-independent state of a SoupBinTCP server: options, sessions by name, the current session, and the
 * bounded hot stream of unsequenced data from all clients.
 */
final class SoupServerState {

    private static final Logger LOG = Loggers.getLogger(SoupBinTcpServer.class);

    final SoupServerOptions options;
    private final Map<String, SoupSession> sessions = new ConcurrentHashMap<>();
    private volatile @Nullable SoupSession current;
    /** What the connections record into; the sequence position is the current session's. */
    final SoupStats stats = new SoupStats(() -> {
        SoupSession session = current;
        return session == null ? 0 : session.store().nextSequence();
    });
    private final Sinks.Many<UnsequencedMessage> unsequenced;
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

    /** Offers a message to the application; drops and counts it when the buffer is full. */
    void deliver(UnsequencedMessage message) {
        Sinks.EmitResult result;
        synchronized (unsequenced) {
            result = unsequenced.tryEmitNext(message);
        }
        if (result.isFailure()) {
            long dropped = droppedUnsequenced.incrementAndGet();
            LOG.warn("SoupBinTCP server: dropped {} ({}; {} dropped so far; buffer {} messages)", message, result,
                    dropped, options.unsequencedBufferSize());
        }
    }

    Flux<UnsequencedMessage> unsequenced() {
        return unsequenced.asFlux();
    }

    long droppedUnsequenced() {
        return droppedUnsequenced.get();
    }

    void close() {
        synchronized (unsequenced) {
            unsequenced.tryEmitComplete();
        }
    }
}
