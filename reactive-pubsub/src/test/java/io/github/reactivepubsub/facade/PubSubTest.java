package io.github.reactivepubsub.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.InvalidKeyException;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The dask-shaped facade: {@link Pub} / {@link Sub} over an in-process hub. */
class PubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Hub hub = Hub.create();
    private final ExecutorService blockingThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        hub.close();
        blockingThread.shutdownNow();
    }

    /** Spins (without sleeping) until {@code n} callers wait on the Sub, failing after {@link #WAIT}. */
    private static void awaitWaiting(Sub<?> sub, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sub.waiting() != n) {
            if (System.nanoTime() > deadline) {
                fail("expected " + n + " caller(s) waiting on " + sub + " within " + WAIT + ", got " + sub.waiting());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void getReturnsMessagesPutAfterTheSubWasCreatedInPutOrder() throws Exception {
        Pub<String> pub = Pub.create(hub, "chat.room1");
        Sub<String> sub = Sub.create(hub, "chat.room1");

        assertThat(pub.put("a")).isEqualTo(PublishResult.delivered(1));
        assertThat(pub.put("b")).isEqualTo(PublishResult.delivered(1));

        assertThat(sub.get(WAIT)).isEqualTo("a");
        assertThat(sub.get(WAIT)).isEqualTo("b");
        assertThat(sub.topic()).isEqualTo(Key.parse("chat.room1"));
    }

    @Test
    void messagesPutBeforeAnySubExistsAreDroppedNotKeptForLaterSubs() throws Exception {
        Pub<String> pub = Pub.create(hub, "chat.room1");
        assertThat(pub.put("early")).isEqualTo(PublishResult.NO_SUBSCRIBERS);

        Sub<String> sub = Sub.create(hub, "chat.room1");
        pub.put("late");

        assertThat(sub.get(WAIT)).isEqualTo("late");
    }

    @Test
    void subscribersCountsEachSubOfTheTopicUntilItCloses() {
        Pub<Integer> pub = Pub.create(hub, "jobs.done");
        assertThat(pub.subscribers()).isZero();

        Sub<Integer> first = Sub.create(hub, "jobs.done");
        Sub<Integer> second = Sub.create(hub, Key.parse("jobs.done"));
        Sub<Integer> other = Sub.create(hub, "jobs.failed");
        assertThat(pub.subscribers()).isEqualTo(2);
        assertThat(pub.put(1)).isEqualTo(PublishResult.delivered(2));

        first.close();
        assertThat(pub.subscribers()).isEqualTo(1);
        first.close(); // idempotent
        assertThat(pub.subscribers()).isEqualTo(1);
        second.close();
        assertThat(pub.subscribers()).isZero();
        assertThat(pub.put(2)).isEqualTo(PublishResult.NO_SUBSCRIBERS);
        other.close();
    }

    @Test
    void topicNamesMustBeConcreteKeys() {
        assertThatThrownBy(() -> Pub.create(hub, "prices.*"))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("'prices.*' is a pattern");
        assertThatThrownBy(() -> Sub.create(hub, "prices.**"))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("'prices.**' is a pattern");
        assertThatThrownBy(() -> Sub.create(hub, "prices..GOOGL"))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("empty segment 1");
    }

    @Test
    void nextWaitsForTheNextPutWithoutBlocking() {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");

        StepVerifier.create(sub.next())
                .expectSubscription()
                .then(() -> assertThat(sub.waiting()).isEqualTo(1))
                .then(() -> pub.put("x"))
                .expectNext("x")
                .verifyComplete();
    }

    @Test
    void nextTakesNothingUntilRequested() throws Exception {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        pub.put("a");
        pub.put("b");

        StepVerifier.create(sub.next(), 0)
                .expectSubscription()
                .then(() -> assertThat(sub.waiting()).isZero())
                .thenRequest(1)
                .expectNext("a")
                .verifyComplete();
        assertThat(sub.get(WAIT)).isEqualTo("b");
    }

    @Test
    void cancelledNextGivesUpItsTurnWithoutLosingAMessage() throws Exception {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");

        Disposable abandoned = sub.next().subscribe(m -> fail("cancelled next() received " + m));
        assertThat(sub.waiting()).isEqualTo(1);
        abandoned.dispose();
        assertThat(sub.waiting()).isZero();

        pub.put("kept");
        assertThat(sub.get(WAIT)).isEqualTo("kept");
    }

    @Test
    void waitingCallersAreServedOneMessageEachInTheOrderTheyStartedWaiting() {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        sub.next().subscribe(m -> first.add(m));
        sub.next().subscribe(m -> second.add(m));

        pub.put("a");
        pub.put("b");

        assertThat(first).containsExactly("a");
        assertThat(second).containsExactly("b");
    }

    @Test
    void nextCompletesEmptyWhenTheSubIsClosedWhileWaitingAndAfterwards() {
        Sub<String> sub = Sub.create(hub, "t");

        StepVerifier.create(sub.next())
                .expectSubscription()
                .then(sub::close)
                .verifyComplete();
        StepVerifier.create(sub.next()).verifyComplete();
    }

    @Test
    void closeDiscardsBufferedMessagesAndUnsubscribes() {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        pub.put("unread");

        sub.close();

        assertThat(pub.subscribers()).isZero();
        StepVerifier.create(sub.next()).verifyComplete();
    }

    @Test
    void getThrowsTimeoutExceptionNamingTheTopicWhenNothingArrives() {
        Sub<String> sub = Sub.create(hub, "quiet.topic");

        assertThatThrownBy(() -> sub.get(Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("no message on topic 'quiet.topic' within PT0.05S");
        assertThat(sub.waiting()).isZero();
    }

    @Test
    void getWithZeroTimeoutTakesOnlyWhatIsAlreadyBuffered() throws Exception {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        pub.put("there");

        assertThat(sub.get(Duration.ZERO)).isEqualTo("there");
        assertThatThrownBy(() -> sub.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void getAfterCloseThrowsAClearIllegalStateException() {
        Sub<String> sub = Sub.create(hub, "t");
        sub.close();

        assertThatThrownBy(() -> sub.get(WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Sub of topic 't' is closed: expected a Sub that is still open");
    }

    @Test
    void getWaitingOnAnotherThreadEndsWhenTheSubIsClosed() {
        Sub<String> sub = Sub.create(hub, "t");
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return sub.get(WAIT);
            } catch (TimeoutException | InterruptedException e) {
                throw new AssertionError("expected the close to end get, got " + e, e);
            }
        }, blockingThread);
        awaitWaiting(sub, 1);

        sub.close();

        assertThatThrownBy(() -> waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void getOnAParallelSchedulerThreadIsRejectedByBlockHound() throws Exception {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");

        Mono<String> blockingOnParallel = Mono.fromCallable(() -> sub.get(WAIT)).subscribeOn(Schedulers.parallel());

        StepVerifier.create(blockingOnParallel)
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(BlockingOperationError.class)
                        .hasMessageContaining("park"))
                .verify(WAIT.multipliedBy(2));
        // The rejected call gave up its place: the next message goes to the next caller.
        assertThat(sub.waiting()).isZero();
        pub.put("after");
        assertThat(sub.get(WAIT)).isEqualTo("after");
    }

    @Test
    void iterationYieldsTheBufferedMessagesThenEndsWhenTheHubCloses() {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        pub.put("a");
        pub.put("b");
        pub.put("c");
        hub.close();
        assertThat(pub.put("d")).isEqualTo(PublishResult.CLOSED);

        List<String> received = new ArrayList<>();
        for (String m : sub) {
            received.add(m);
        }

        assertThat(received).containsExactly("a", "b", "c");
        Iterator<String> after = sub.iterator();
        assertThat(after.hasNext()).isFalse();
        assertThatThrownBy(after::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("has ended");
        assertThatThrownBy(() -> sub.get(WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("its hub closed");
    }

    @Test
    void iterationOnAnotherThreadEndsWhenTheSubIsClosed() throws Exception {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> sub = Sub.create(hub, "t");
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> iterated = CompletableFuture.supplyAsync(() -> {
            sub.forEach(received::add);
            return received;
        }, blockingThread);
        awaitWaiting(sub, 1);
        pub.put("a");
        // The iterator may register as waiting before its request reaches the hub, so "a" may sit in the hub's
        // buffer for a moment: wait until the iterator has it and waits for the next one.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the iterator did not receive \"a\" within " + WAIT);
            }
            Thread.onSpinWait();
        }
        awaitWaiting(sub, 1);

        sub.close();

        assertThat(iterated.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly("a");
    }

    @Test
    void asFluxTakesOneMessagePerUnitOfDemand() throws Exception {
        Pub<Integer> pub = Pub.create(hub, "n");
        Sub<Integer> sub = Sub.create(hub, "n");
        for (int i = 1; i <= 4; i++) {
            pub.put(i);
        }

        StepVerifier.create(sub.asFlux(), 0)
                .expectSubscription()
                .thenRequest(2)
                .expectNext(1, 2)
                .thenCancel()
                .verify(WAIT);

        assertThat(sub.get(WAIT)).isEqualTo(3);
        StepVerifier.create(sub.asFlux().take(1)).expectNext(4).verifyComplete();
    }

    @Test
    void asFluxCompletesWhenTheHubClosesAndWhenTheSubCloses() {
        Pub<String> pub = Pub.create(hub, "t");
        Sub<String> untilHubCloses = Sub.create(hub, "t");
        Sub<String> untilSubCloses = Sub.create(hub, "t");

        StepVerifier.create(untilSubCloses.asFlux())
                .then(() -> pub.put("x"))
                .expectNext("x")
                .then(untilSubCloses::close)
                .verifyComplete();
        StepVerifier.create(untilHubCloses.asFlux())
                .expectNext("x")
                .then(hub::close)
                .verifyComplete();
    }

    @Test
    void anEndedSubCompletesWithoutDemand() {
        Sub<String> closedSub = Sub.create(hub, "t");
        closedSub.close();
        StepVerifier.create(closedSub.asFlux(), 0).expectSubscription().expectComplete().verify(WAIT);
        StepVerifier.create(closedSub.next(), 0).expectSubscription().expectComplete().verify(WAIT);

        Sub<String> waiting = Sub.create(hub, "t");
        StepVerifier.create(waiting.asFlux(), 0)
                .expectSubscription()
                .then(hub::close)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aSubCreatedOnAClosedHubHasEndedAtOnce() {
        hub.close();
        Sub<String> sub = Sub.create(hub, "t");

        StepVerifier.create(sub.asFlux()).verifyComplete();
        assertThatThrownBy(() -> sub.get(WAIT)).isInstanceOf(IllegalStateException.class);
        assertThat(Pub.create(hub, "t").put("x")).isEqualTo(PublishResult.CLOSED);
    }

    @Nested
    class Overflow_ {

        @Test
        void errorPolicyEndsTheSubWithAnOverflowExceptionAndUnsubscribesIt() {
            Pub<Integer> pub = Pub.create(hub, "fast");
            Sub<Integer> sub = Sub.create(hub, "fast", SubscribeOptions.defaults().bufferSize(2));

            pub.put(1);
            pub.put(2);
            assertThat(pub.put(3)).as("the overflowing message is still handed to the subscriber")
                    .isEqualTo(PublishResult.delivered(1));

            assertThat(pub.subscribers()).isZero();
            assertThatThrownBy(() -> sub.get(WAIT))
                    .isInstanceOf(OverflowException.class)
                    .hasMessageContaining("'fast' overflowed its buffer of 2 messages");
            StepVerifier.create(sub.next()).expectError(OverflowException.class).verify(WAIT);
            assertThatThrownBy(() -> sub.iterator().hasNext()).isInstanceOf(OverflowException.class);
        }

        /** Reactive Streams §1.9 / §1.4: a failed Sub signals onError right after onSubscribe, without demand. */
        @Test
        void aSubThatHasFailedSignalsItsErrorWithoutDemand() {
            Pub<Integer> pub = Pub.create(hub, "fast");
            Sub<Integer> sub = Sub.create(hub, "fast", SubscribeOptions.defaults().bufferSize(1));
            pub.put(1);
            pub.put(2);

            StepVerifier.create(sub.asFlux(), 0)
                    .expectSubscription()
                    .expectError(OverflowException.class)
                    .verify(WAIT);
            StepVerifier.create(sub.next(), 0)
                    .expectSubscription()
                    .expectError(OverflowException.class)
                    .verify(WAIT);
        }

        @Test
        void aSubscriberWithoutDemandLearnsOfALaterFailureAtOnce() {
            Pub<Integer> pub = Pub.create(hub, "fast");
            Sub<Integer> sub = Sub.create(hub, "fast", SubscribeOptions.defaults().bufferSize(1));

            StepVerifier.create(sub.asFlux(), 0)
                    .expectSubscription()
                    .then(() -> {
                        pub.put(1);
                        pub.put(2);
                    })
                    .expectError(OverflowException.class)
                    .verify(WAIT);
        }

        @Test
        void dropOldestKeepsTheNewestMessagesAndReportsTheDroppedOnes() throws Exception {
            List<Object> dropped = new CopyOnWriteArrayList<>();
            Pub<Integer> pub = Pub.create(hub, "fast");
            Sub<Integer> sub = Sub.create(hub, Key.parse("fast"), SubscribeOptions.defaults()
                    .bufferSize(2).overflow(Overflow.DROP_OLDEST).onDrop(dropped::add));

            for (int i = 1; i <= 5; i++) {
                pub.put(i);
            }

            assertThat(sub.get(WAIT)).isEqualTo(4);
            assertThat(sub.get(WAIT)).isEqualTo(5);
            assertThat(dropped).extracting(m -> (Object) ((Message<?>) m).payload()).containsExactly(1, 2, 3);
            assertThat(pub.subscribers()).isEqualTo(1);
        }

        @Test
        void dropLatestKeepsTheOldestMessagesAndReportsTheDroppedOnes() throws Exception {
            List<Object> dropped = new CopyOnWriteArrayList<>();
            Pub<Integer> pub = Pub.create(hub, "fast");
            Sub<Integer> sub = Sub.create(hub, "fast", SubscribeOptions.defaults()
                    .bufferSize(2).overflow(Overflow.DROP_LATEST).onDrop(dropped::add));

            for (int i = 1; i <= 5; i++) {
                pub.put(i);
            }

            assertThat(sub.get(WAIT)).isEqualTo(1);
            assertThat(sub.get(WAIT)).isEqualTo(2);
            assertThat(dropped).extracting(m -> (Object) ((Message<?>) m).payload()).containsExactly(3, 4, 5);
            pub.put(6);
            assertThat(sub.get(WAIT)).as("room again once taken").isEqualTo(6);
        }
    }
}
