package io.github.reactivepubsub.session;

import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** One end of an in-memory connection: reads from one pipe, writes to the other. Thread-safe. */
final class InMemoryConnection implements DuplexConnection {

    private final InMemoryPipe inbound;
    private final InMemoryPipe outbound;
    private final Sinks.Empty<Void> closed;

    InMemoryConnection(InMemoryPipe inbound, InMemoryPipe outbound, Sinks.Empty<Void> closed) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.closed = closed;
    }

    @Override
    public Flux<ByteBuffer> receive() {
        return inbound.receive();
    }

    @Override
    public Mono<Void> send(Publisher<ByteBuffer> frames) {
        return outbound.send(frames);
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public void dispose() {
        inbound.close();
        outbound.close();
        // Both ends share the sink; a concurrent dispose of the peer may win the emission, which is fine.
        closed.tryEmitEmpty();
    }

    @Override
    public boolean isDisposed() {
        return inbound.isClosed();
    }

    /** @return the pipe this end reads from (tests observe what was pulled from it) */
    InMemoryPipe inboundPipe() {
        return inbound;
    }
}
