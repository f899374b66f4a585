package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class InMemoryMessageStoreTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void numbersFromOneAndReplaysThenFollows() {
        MessageStore store = MessageStore.inMemory(10);
        assertThat(store.append(b("a"))).isEqualTo(1);
        assertThat(store.append(b("b"))).isEqualTo(2);
        StepVerifier.create(store.messages(2).map(SequencedMessage::payloadAsString))
                .expectNext("b")
                .then(() -> store.append(b("c")))
                .expectNext("c")
                .then(store::end)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void honoursDemand() {
        MessageStore store = MessageStore.inMemory(10);
        for (int i = 0; i < 5; i++) {
            store.append(b("m" + i));
        }
        store.end();
        StepVerifier.create(store.messages(1), 2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(20))
                .thenRequest(3)
                .expectNextCount(3)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void evictsTheOldestBeyondCapacity() {
        MessageStore store = MessageStore.inMemory(3);
        for (int i = 1; i <= 5; i++) {
            store.append(b("m" + i));
        }
        assertThat(store.firstSequence()).isEqualTo(3);
        assertThat(store.nextSequence()).isEqualTo(6);
        StepVerifier.create(store.messages(3).map(SequencedMessage::sequence))
                .expectNext(3L, 4L, 5L)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(store.messages(2))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MessagesEvictedException.class)
                        .hasMessage("message 2 was evicted from the store; the oldest retained is 3"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void boundedByBytesTheOldestAreEvictedAndTheNewestAlwaysKept() {
        InMemoryMessageStore store = new InMemoryMessageStore(1 << 20, 10_000);
        byte[] kilobyte = new byte[1_000 - InMemoryMessageStore.MESSAGE_OVERHEAD];
        for (int i = 0; i < 250; i++) { // 250,000 bytes into a 10,000-byte store
            store.append(kilobyte.clone());
            assertThat(store.retainedBytes()).isLessThanOrEqualTo(10_000);
        }
        assertThat(store.firstSequence()).isEqualTo(241);
        assertThat(store.nextSequence()).isEqualTo(251);
        StepVerifier.create(store.messages(241).take(10).map(SequencedMessage::sequence))
                .expectNextCount(9).expectNext(250L).verifyComplete();
        assertThatThrownBy(() -> store.messages(240).blockFirst()).isInstanceOf(MessagesEvictedException.class)
                .hasMessage("message 240 was evicted from the store; the oldest retained is 241");

        store.append(new byte[50_000]); // alone above the bound: kept, everything older evicted
        assertThat(store.firstSequence()).isEqualTo(251);
        assertThat(store.retainedBytes()).isEqualTo(50_000 + InMemoryMessageStore.MESSAGE_OVERHEAD);
        store.append(new byte[10]);
        assertThat(store.firstSequence()).isEqualTo(252);
    }

    @Test
    void aReaderThatFallsBehindTheRetainedRangeErrors() {
        MessageStore store = MessageStore.inMemory(3);
        store.append(b("m1"));
        StepVerifier.create(store.messages(1), 0)
                .then(() -> {
                    for (int i = 2; i <= 6; i++) {
                        store.append(b("m" + i));
                    }
                })
                .thenRequest(1)
                .expectError(MessagesEvictedException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void rejectsReadsBeyondTheEndAndAppendsAfterEnd() {
        MessageStore store = MessageStore.inMemory(3);
        assertThatThrownBy(() -> store.messages(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read from 2: expected 1..1");
        store.end();
        assertThatThrownBy(() -> store.append(b("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentAppendersAndReadersSeeEveryNumberOnce() {
        MessageStore store = MessageStore.inMemory(1 << 20);
        int perThread = 50_000;
        StepVerifier.create(store.messages(1).publishOn(Schedulers.single()).take(4L * perThread)
                        .map(SequencedMessage::sequence).reduce(0L, (expected, seq) -> {
                            assertThat(seq).isEqualTo(expected + 1);
                            return seq;
                        }))
                .then(() -> {
                    for (int t = 0; t < 4; t++) {
                        Schedulers.boundedElastic().schedule(() -> {
                            for (int i = 0; i < perThread; i++) {
                                store.append(new byte[8]);
                            }
                        });
                    }
                })
                .expectNext(4L * perThread)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }
}
