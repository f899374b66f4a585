package io.github.reactivepubsub.session;

import static io.github.reactivepubsub.session.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/**
 * What every {@link DuplexConnection} transport must do, in-memory and TCP alike: a contract test in the style of
 * rsocket-java's transport tests. A transport's test class implements this interface and {@link #connect()}; each
 * {@code default @Test} method then runs against it.
 *
 * <p>The ends exchange length-prefixed frames ({@code TestFrames}), each sent as one buffer. A transport may split
 * or merge them into reads of any size, so received bytes are concatenated before they are decoded.
 *
 * <p>A peer's close is observed by an end that reads: without {@code receive()} demand a transport may not even
 * look at its socket (TCP: the end of the stream is read like data), so the tests that wait for a peer's close
 * subscribe a reader first. Data sent before a close is delivered to a reader that subscribed before it.
 *
 * <p>Implementations create fresh ends in {@link #connect()} (called at most once per test) and release whatever
 * they created (servers, clients, event loops) in their own {@code @AfterEach}.
 */
public interface DuplexConnectionContract {

    /** Upper bound of every wait in the contract. */
    Duration WAIT = Duration.ofSeconds(10);

    /** How long "nothing happens" is watched for where the contract says a transport must not act. */
    Duration QUIET = Duration.ofMillis(150);

    /**
     * The two ends of one connection.
     *
     * @param client the end that connected (for TCP: the client socket)
     * @param server the end that accepted
     */
    record Ends(DuplexConnection client, DuplexConnection server) {
    }

    /** @return a fresh connected pair of ends */
    Ends connect();

    @Test
    default void echoRoundTrip() {
        Ends ends = connect();
        // The server end echoes every read; each is copied, since a read may not be used after the next request.
        // the echo is cut short by the close after the test: that error is expected
        ends.server().send(ends.server().receive().map(DuplexConnectionContract::copy)).subscribe(null, cut -> { });
        List<String> sent = List.of("hello", "", "wörld", "x".repeat(500));

        TestSubscriber<ByteBuffer> replies = TestSubscriber.create();
        ends.client().receive().map(DuplexConnectionContract::copy).subscribe(replies);
        ends.client().send(Flux.fromIterable(sent).map(TestFrames::frame)).block(WAIT);

        assertThat(awaitDecoded(replies, sent.size())).containsExactlyElementsOf(sent);
        replies.cancel();
    }

    @Test
    default void framesArriveInSendOrder() {
        Ends ends = connect();
        List<String> sent = IntStream.range(0, 2_000).mapToObj(i -> i + ":" + "p".repeat(i % 97))
                .collect(Collectors.toList());
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().map(DuplexConnectionContract::copy).subscribe(reads);

        // Two sends, one after the other: each keeps its order, and the second starts after the first completed.
        ends.client().send(Flux.fromIterable(sent.subList(0, 1_000)).map(TestFrames::frame))
                .then(ends.client().send(Flux.fromIterable(sent.subList(1_000, 2_000)).map(TestFrames::frame)))
                .block(WAIT);

        assertThat(awaitDecoded(reads, sent.size())).containsExactlyElementsOf(sent);
        reads.cancel();
    }

    @Test
    default void messagesSentWithAnEncoderArriveAsItsFramesInOrder() {
        Ends ends = connect();
        List<String> sent = IntStream.range(0, 1_000).mapToObj(i -> i + ":" + "q".repeat(i % 89))
                .collect(Collectors.toList());
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().map(DuplexConnectionContract::copy).subscribe(reads);

        // Every other message's length is known in advance: a transport may encode those into buffers of its own.
        ends.client().send(Flux.fromIterable(sent), new KnownLengths()).block(WAIT);

        assertThat(awaitDecoded(reads, sent.size())).containsExactlyElementsOf(sent);
        reads.cancel();
    }

    @Test
    default void anEncoderThatFailsFailsTheSendAndTheConnectionGoesOn() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().map(DuplexConnectionContract::copy).subscribe(reads);

        StepVerifier.create(ends.client().send(Flux.just("ok", "bad", "never"), new KnownLengths()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("cannot encode 'bad'"))
                .verify(WAIT);
        ends.client().send(Flux.just("after"), new KnownLengths()).block(WAIT);

        assertThat(awaitDecoded(reads, 2)).containsExactly("ok", "after");
        reads.cancel();
    }

    /** A session's decoded messages may keep views of a read: the transport never writes a delivered read again. */
    @Test
    default void aDeliveredReadIsNeverWrittenAgain() {
        Ends ends = connect();
        List<String> sent = IntStream.range(0, 500).mapToObj(i -> i + ":" + "w".repeat(i % 61))
                .collect(Collectors.toList());
        List<ByteBuffer> views = new ArrayList<>();
        List<ByteBuffer> copies = new ArrayList<>();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.server().receive().doOnNext(read -> {
            views.add(read.duplicate()); // the read itself, as a decoder's slice would see it
            copies.add(copy(read));
        }).subscribe(reads);

        ends.client().send(Flux.fromIterable(sent).map(TestFrames::frame)).block(WAIT);
        ends.client().send(Flux.fromIterable(sent), new KnownLengths()).block(WAIT);

        assertThat(awaitDecoded(reads, 2 * sent.size())).hasSize(2 * sent.size());
        assertThat(views).as("every read as it is now, against its copy made on delivery").isEqualTo(copies);
        reads.cancel();
    }

    @Test
    default void readingIsDrivenByDemand() {
        Ends ends = connect();
        ends.client().send(Flux.just(frame("a"), frame("b"), frame("c"))).block(WAIT);
        TestSubscriber<ByteBuffer> reads = TestSubscriber.builder().initialRequest(0).build();
        ends.server().receive().map(DuplexConnectionContract::copy).subscribe(reads);

        Await.watch(QUIET);
        assertThat(reads.getReceivedOnNext()).as("reads delivered without demand").isEmpty();

        reads.request(1);
        awaitReads(reads, 1);
        Await.watch(QUIET);
        assertThat(reads.getReceivedOnNext()).as("one request(1) takes one read").hasSize(1);

        reads.request(Long.MAX_VALUE);
        assertThat(awaitDecoded(reads, 3)).containsExactly("a", "b", "c");
        reads.cancel();
    }

    @Test
    default void peerCloseCompletesReceiveAfterEverythingSentBeforeIt() {
        Ends ends = connect();
        List<String> sent = IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.toList());
        TestSubscriber<ByteBuffer> reads = TestSubscriber.builder().initialRequest(0).build();
        ends.server().receive().map(DuplexConnectionContract::copy).subscribe(reads);
        ends.client().send(Flux.fromIterable(sent).map(TestFrames::frame)).block(WAIT);
        ends.client().dispose();
        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);

        reads.request(Long.MAX_VALUE);
        reads.block(WAIT);
        assertThat(reads.isTerminatedComplete()).as("receive() completed").isTrue();
        assertThat(decode(reads.getReceivedOnNext())).containsExactlyElementsOf(sent);
        StepVerifier.create(ends.server().onClose()).expectComplete().verify(WAIT);
        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);
        assertThat(ends.client().isDisposed()).isTrue();
        assertThat(ends.server().isDisposed()).isTrue();
    }

    @Test
    default void localDisposeCompletesTheOwnReceive() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.client().receive().subscribe(reads);

        ends.client().dispose();

        reads.block(WAIT);
        assertThat(reads.isTerminatedComplete()).as("receive() completed").isTrue();
        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);
    }

    @Test
    default void onCloseSignalsOnceOnBothEndsAndDisposeIsIdempotent() {
        Ends ends = connect();
        AtomicInteger clientSignals = new AtomicInteger();
        AtomicInteger serverSignals = new AtomicInteger();
        ends.client().onClose().subscribe(v -> { }, e -> clientSignals.incrementAndGet(),
                clientSignals::incrementAndGet);
        ends.server().onClose().subscribe(v -> { }, e -> serverSignals.incrementAndGet(),
                serverSignals::incrementAndGet);
        assertThat(ends.client().isDisposed()).isFalse();

        ends.client().dispose();
        ends.client().dispose();
        ends.server().dispose();

        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);
        StepVerifier.create(ends.server().onClose()).expectComplete().verify(WAIT);
        assertThat(clientSignals).hasValue(1);
        assertThat(serverSignals).hasValue(1);
        assertThat(ends.client().isDisposed()).isTrue();
    }

    @Test
    default void sendAfterThePeerClosedFailsWithIllegalStateException() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> reads = TestSubscriber.create();
        ends.client().receive().subscribe(reads); // a peer's close is seen by an end that reads
        ends.server().dispose();
        StepVerifier.create(ends.client().onClose()).expectComplete().verify(WAIT);

        StepVerifier.create(ends.client().send(Mono.just(frame("late"))))
                .expectError(IllegalStateException.class)
                .verify(WAIT);
    }

    @Test
    default void secondReceiverIsRefused() {
        Ends ends = connect();
        TestSubscriber<ByteBuffer> first = TestSubscriber.create();
        ends.server().receive().subscribe(first);

        StepVerifier.create(ends.server().receive())
                .expectError(IllegalStateException.class)
                .verify(WAIT);
        assertThat(first.isTerminated()).as("the first receiver goes on").isFalse();
        first.cancel();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * {@link TestFrames}' framing that announces the length of frames of even-length texts (and writes them field by
     * field), and refuses the text "bad".
     */
    final class KnownLengths implements FrameEncoder<String> {

        @Override
        public ByteBuffer encode(String text) {
            check(text);
            return TestFrames.frame(text);
        }

        @Override
        public int frameLength(String text) {
            check(text);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return bytes.length % 2 == 0 ? 4 + bytes.length : -1;
        }

        @Override
        public void encode(String text, ByteBuffer out) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.putInt(bytes.length).put(bytes);
        }

        private static void check(String text) {
            if (text.equals("bad")) {
                throw new IllegalArgumentException("cannot encode 'bad'");
            }
        }
    }

    /** @return a heap copy of the read's remaining bytes */
    static ByteBuffer copy(ByteBuffer read) {
        ByteBuffer copy = ByteBuffer.allocate(read.remaining());
        copy.put(read.duplicate()).flip();
        return copy;
    }

    /** @return the texts of the frames in the concatenated reads; fails on a trailing incomplete frame */
    static List<String> decode(List<ByteBuffer> reads) {
        ByteBuffer bytes = concat(reads);
        List<String> texts = decodeFrames(bytes);
        assertThat(bytes.remaining()).as("bytes of an incomplete frame").isZero();
        return texts;
    }

    private static List<String> awaitDecoded(TestSubscriber<ByteBuffer> reads, int count) {
        Await.until(WAIT, () -> reads.isTerminated() || decodeFrames(concat(reads.getReceivedOnNext())).size() >= count,
                () -> count + " frames, received " + reads.getReceivedOnNext().size() + " reads");
        return decode(reads.getReceivedOnNext());
    }

    private static void awaitReads(TestSubscriber<ByteBuffer> reads, int count) {
        Await.until(WAIT, () -> reads.getReceivedOnNext().size() >= count, () -> count + " reads");
    }

    private static ByteBuffer concat(List<ByteBuffer> reads) {
        ByteBuffer bytes = ByteBuffer.allocate(reads.stream().mapToInt(ByteBuffer::remaining).sum());
        reads.forEach(read -> bytes.put(read.duplicate()));
        return bytes.flip();
    }

    /** Decodes every complete frame, leaving the bytes of a trailing incomplete one. */
    private static List<String> decodeFrames(ByteBuffer bytes) {
        List<String> texts = new ArrayList<>();
        @Nullable String text;
        while (bytes.hasRemaining() && (text = TestFrames.DECODER.decode(bytes)) != null) {
            texts.add(text);
        }
        return texts;
    }
}
