package io.github.reactivepubsub.session;

import static io.github.reactivepubsub.session.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

class InMemoryConnectionsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final InMemoryConnections.Pair pair = InMemoryConnections.pair(4);
    private final InMemoryPipe toServer = ((InMemoryConnection) pair.server()).inboundPipe();

    @Test
    void receiverWithoutDemandPullsNothing() {
        pair.client().send(Flux.range(0, 3).map(i -> frame("m" + i))).subscribe();
        TestSubscriber<ByteBuffer> reader = TestSubscriber.builder().initialRequest(0).build();
        pair.server().receive().subscribe(reader);

        assertThat(reader.getReceivedOnNext()).isEmpty();
        assertThat(toServer.pulledBuffers()).isZero();
        assertThat(toServer.pendingBuffers()).isEqualTo(3);

        reader.request(2);

        assertThat(reader.getReceivedOnNext()).hasSize(2);
        assertThat(toServer.pulledBuffers()).isEqualTo(2);
        assertThat(toServer.pendingBuffers()).isEqualTo(1);
        reader.cancel();
    }

    @Test
    void fullPipeStopsTheSenderUntilTheReceiverTakesBuffers() {
        AtomicBoolean sent = new AtomicBoolean();
        pair.client().send(Flux.range(0, 10).map(i -> frame("m" + i))).doOnSuccess(v -> sent.set(true)).subscribe();
        TestSubscriber<ByteBuffer> reader = TestSubscriber.builder().initialRequest(0).build();
        pair.server().receive().subscribe(reader);

        assertThat(toServer.pendingBuffers()).as("4 in the pipe + 1 held by the blocked sender").isEqualTo(5);
        assertThat(sent).isFalse();

        reader.request(6);
        assertThat(toServer.pendingBuffers()).isEqualTo(4);
        assertThat(sent).as("the last buffer was accepted").isTrue();

        reader.request(Long.MAX_VALUE);
        assertThat(reader.getReceivedOnNext()).hasSize(10);
        reader.cancel();
    }

    @Test
    void buffersAreReceivedInSendOrder() {
        StepVerifier.create(pair.server().receive().map(TestFrames.DECODER::decode).take(3))
                .then(() -> pair.client().send(Flux.just(frame("a"), frame("b"), frame("c"))).subscribe())
                .expectNext("a", "b", "c")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void closeCompletesReceiveAfterTheBuffersSentBeforeIt() {
        pair.client().send(Flux.just(frame("a"), frame("b"))).subscribe();
        pair.client().dispose();

        StepVerifier.create(pair.server().receive().map(TestFrames.DECODER::decode), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ZERO)
                .thenRequest(2)
                .expectNext("a", "b")
                .expectComplete()
                .verify(WAIT);
        assertThat(pair.server().isDisposed()).isTrue();
        StepVerifier.create(pair.server().onClose()).expectComplete().verify(WAIT);
    }

    @Test
    void sendAfterCloseFails() {
        pair.server().dispose();

        StepVerifier.create(pair.client().send(Mono.just(frame("late"))))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("in-memory connection client->server is closed"))
                .verify(WAIT);
    }

    @Test
    void blockedSenderFailsWhenTheConnectionCloses() {
        Mono<Void> send = pair.client().send(Flux.range(0, 10).map(i -> frame("m" + i)));

        StepVerifier.create(send)
                .then(pair.server()::dispose)
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("still waiting for room"))
                .verify(WAIT);
    }

    @Test
    void secondReceiverIsRefused() {
        pair.server().receive().subscribe();

        StepVerifier.create(pair.server().receive())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("accepts one receive() subscriber"))
                .verify(WAIT);
    }

    @Test
    void secondReceiverIsRefusedOutsideThePipesLock() {
        toServer.receive().subscribe();
        List<String> signals = new CopyOnWriteArrayList<>();

        toServer.receive().subscribe(new BaseSubscriber<ByteBuffer>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                signals.add("onSubscribe, lock held: " + Thread.holdsLock(toServer));
            }

            @Override
            protected void hookOnError(Throwable error) {
                signals.add("onError, lock held: " + Thread.holdsLock(toServer));
            }
        });

        assertThat(signals).containsExactly("onSubscribe, lock held: false", "onError, lock held: false");
    }
}
