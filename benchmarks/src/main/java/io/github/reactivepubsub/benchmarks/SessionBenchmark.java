package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stream of 10 million messages through an in-memory session pair; one operation = one message, so the score is
 * messages per second (and, with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per message).
 *
 * <ul>
 *   <li>{@link #sessionToSession}: one session sends with {@code sendAll} (one frame = one write = one read), the
 *       other dispatches through {@code inbound()}; everything runs on the calling thread, driven by demand.</li>
 *   <li>{@link #batchedReads}: the peer writes reads of 64 frames each (read-only views of one prepared buffer),
 *       so the receiving session's per-read cost is amortised: this isolates decoding and dispatching.</li>
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SessionBenchmark -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class SessionBenchmark extends TransportBenchmark {

    static final int MESSAGES = 10_000_000;
    static final int FRAMES_PER_READ = 64;
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** An 8-byte big-endian long: a small, fixed-size payload, boxed like any message object. */
    static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        }

        @Override
        public Long decode(ByteBuffer buffer) {
            return buffer.getLong();
        }
    };

    static final FrameDecoder<Long> DECODER = FrameDecoder.lengthPrefixed(LONG, 64);
    static final FrameEncoder<Long> ENCODER = FrameEncoder.lengthPrefixed(LONG);

    private final ByteBuffer batch = prepareBatch();

    private static ByteBuffer prepareBatch() {
        ByteBuffer all = ByteBuffer.allocate(FRAMES_PER_READ * (4 + Long.BYTES));
        for (long i = 0; i < FRAMES_PER_READ; i++) {
            all.put(ENCODER.encode(i));
        }
        return all.flip().asReadOnlyBuffer();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long sessionToSession() {
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        Session<Long, Long> sender = Session.create(pair.client(), DECODER, ENCODER);
        Session<Long, Long> receiver = Session.create(pair.server(), DECODER, ENCODER);
        sender.sendAll(Flux.range(0, MESSAGES).map(Integer::longValue))
                .then(Mono.defer(sender::close))
                .subscribe();
        return check(receiver.inbound().reduce(0L, Long::sum).block(TIMEOUT), sumOfRange(MESSAGES));
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long batchedReads() {
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        Session<Long, Long> receiver = Session.create(pair.server(), DECODER, ENCODER);
        pair.client().send(Flux.range(0, MESSAGES / FRAMES_PER_READ).map(i -> batch.duplicate()))
                .doFinally(signal -> pair.client().dispose())
                .subscribe();
        long reads = MESSAGES / FRAMES_PER_READ;
        return check(receiver.inbound().reduce(0L, Long::sum).block(TIMEOUT), reads * sumOfRange(FRAMES_PER_READ));
    }

    private static long sumOfRange(long n) {
        return n * (n - 1) / 2;
    }

    private static long check(Long sum, long expected) {
        if (sum == null || sum != expected) {
            throw new IllegalStateException("stream sum " + sum + ", expected " + expected + ": messages were lost");
        }
        return sum;
    }
}
