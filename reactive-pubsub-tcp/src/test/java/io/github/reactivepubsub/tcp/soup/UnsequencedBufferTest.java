package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * The server's buffer of unsequenced messages for the application, transport-free: bounded by bytes as well as by
 * count ({@link SoupServerOptions#unsequencedBufferBytes(long)}), a message beyond either bound dropped, counted and
 * logged escaped, and the bytes given back as messages reach the subscribers.
 */
class UnsequencedBufferTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SocketAddress PEER = InetSocketAddress.createUnresolved("peer", 1);
    /** What a 1,000-byte message counts. */
    private static final int COST = 1_000 + SoupServerState.MESSAGE_OVERHEAD;

    private final TestLogger log = new TestLogger(false);

    @BeforeEach
    void captureLogs() {
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void stopCapture() {
        LoggerUtils.disableCapture();
    }

    /** A message of {@code size} bytes whose first byte is {@code index}. */
    private static UnsequencedMessage message(int index, int size) {
        byte[] payload = new byte[size];
        payload[0] = (byte) index;
        return new UnsequencedMessage("SESS1", "ABC", PEER, payload);
    }

    private static int index(UnsequencedMessage m) {
        return m.payloadBytes()[0];
    }

    @Test
    void theDefaultsBoundTheBufferBy4MibAsWellAsBy1024Messages() {
        assertThat(SoupServerOptions.defaults().unsequencedBufferBytes()).isEqualTo(4L << 20);
        assertThat(SoupServerOptions.defaults().unsequencedBufferSize()).isEqualTo(1024);
        assertThat(SoupServerOptions.defaults().unsequencedBufferBytes(5_000).unsequencedBufferBytes())
                .isEqualTo(5_000);
        assertThat(SoupServerOptions.defaults().unsequencedBufferBytes(5_000).toString())
                .contains("unsequencedBufferBytes=5000");
        assertThatThrownBy(() -> SoupServerOptions.defaults().unsequencedBufferBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsequencedBufferBytes must be at least 1, was 0");
    }

    @Test
    void withoutASubscriberMessagesBeyondTheByteBoundAreDroppedAndCountedWhileTheCountBoundIsFarAway() {
        SoupServerState state = new SoupServerState(SoupServerOptions.defaults().unsequencedBufferBytes(10L * COST));
        for (int i = 0; i < 25; i++) {
            state.deliver(message(i, 1_000));
        }
        assertThat(state.droppedUnsequenced()).isEqualTo(15);
        assertThat(state.bufferedUnsequencedBytes()).isEqualTo(10L * COST);
        StepVerifier.create(state.unsequenced().map(UnsequencedBufferTest::index), 0)
                .thenRequest(10)
                .expectNext(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
                .then(() -> assertThat(state.bufferedUnsequencedBytes()).as("given back on delivery").isZero())
                .then(() -> state.deliver(message(30, 1_000)))
                .then(() -> assertThat(state.bufferedUnsequencedBytes()).isEqualTo(COST))
                .thenRequest(1)
                .expectNext(30)
                .thenCancel()
                .verify(WAIT);
        assertThat(state.droppedUnsequenced()).as("room again once delivered").isEqualTo(15);
    }

    @Test
    void aDropForBytesIsLoggedWithTheBoundAndThePeersTextEscaped() {
        SoupServerState state = new SoupServerState(SoupServerOptions.defaults().unsequencedBufferBytes(COST));
        state.deliver(message(1, 1_000));
        byte[] forged = "x\r\nERROR forged".getBytes(StandardCharsets.ISO_8859_1);
        state.deliver(new UnsequencedMessage("SESS1", "ABC", PEER, forged));
        assertThat(state.droppedUnsequenced()).isEqualTo(1);
        assertThat(log.getErrContent()).contains("dropped").contains("unsequencedBufferBytes " + COST)
                .contains("x\\r\\nERROR forged").doesNotContain("\r\nERROR forged");
    }

    @Test
    void aMessageLargerThanTheWholeBoundIsAcceptedOnlyWhenNothingIsBuffered() {
        SoupServerState state = new SoupServerState(SoupServerOptions.defaults().unsequencedBufferBytes(100));
        state.deliver(message(1, 1_000));
        state.deliver(message(2, 10));
        assertThat(state.droppedUnsequenced()).isEqualTo(1);
        StepVerifier.create(state.unsequenced().map(UnsequencedBufferTest::index))
                .expectNext(1)
                .then(() -> state.deliver(message(3, 1_000)))
                .expectNext(3)
                .thenCancel()
                .verify(WAIT);
        assertThat(state.bufferedUnsequencedBytes()).isZero();
    }

    @Test
    void theCountBoundStillApplies() {
        // a power of two: the sink's queue rounds its capacity up to one
        SoupServerState state = new SoupServerState(SoupServerOptions.defaults().unsequencedBufferSize(8));
        IntStream.range(0, 12).forEach(i -> state.deliver(message(i, 1)));
        assertThat(state.droppedUnsequenced()).isEqualTo(4);
        assertThat(state.bufferedUnsequencedBytes()).as("the dropped ones given back")
                .isEqualTo(8L * (1 + SoupServerState.MESSAGE_OVERHEAD));
    }

    @Test
    void theSlowestOfTwoSubscribersHoldsTheBytesAndEachMessageIsGivenBackOnce() {
        SoupServerState state = new SoupServerState(SoupServerOptions.defaults().unsequencedBufferBytes(3L * COST));
        Disposable fast = state.unsequenced().subscribe();
        StepVerifier.create(state.unsequenced().map(UnsequencedBufferTest::index), 0)
                .then(() -> IntStream.range(0, 5).forEach(i -> state.deliver(message(i, 1_000))))
                .then(() -> {
                    assertThat(state.droppedUnsequenced()).isEqualTo(2);
                    assertThat(state.bufferedUnsequencedBytes()).isEqualTo(3L * COST);
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNext(0, 1, 2)
                .then(() -> state.deliver(message(9, 1_000)))
                .expectNext(9)
                .then(() -> assertThat(state.bufferedUnsequencedBytes()).isZero())
                .thenCancel()
                .verify(WAIT);
        fast.dispose();
    }
}
