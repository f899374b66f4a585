package io.github.reactivepubsub.session;

import static io.github.reactivepubsub.session.TestFrames.DECODER;
import static io.github.reactivepubsub.session.TestFrames.ENCODER;
import static io.github.reactivepubsub.session.TestFrames.MAX_FRAME;
import static io.github.reactivepubsub.session.TestFrames.frame;
import static io.github.reactivepubsub.session.TestFrames.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.RaceTestUtils;

/**
 * Sessions over the in-memory transport. Timers (drain timeout, heartbeats) run on a {@link VirtualTimeScheduler};
 * in-memory delivery is synchronous, so every test is deterministic and nothing sleeps. After every test, each
 * session it created must be closed, not active, fully stopped, with {@code onClose()} signalled exactly once.
 */
class SessionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Session<String, String>> sessions = new ArrayList<>();
    private final List<AtomicInteger> onCloseSignals = new ArrayList<>();

    private final InMemoryConnections.Pair pair = InMemoryConnections.pair();
    /** The pipe the client session reads from: shows what was taken from the transport. */
    private final InMemoryPipe clientPipe = ((InMemoryConnection) pair.client()).inboundPipe();

    private SessionOptions options() {
        return SessionOptions.defaults().scheduler(time).drainTimeout(DRAIN);
    }

    private Session<String, String> session(DuplexConnection connection, String name) {
        return session(connection, DECODER, options().name(name));
    }

    private Session<String, String> session(DuplexConnection connection, FrameDecoder<String> decoder,
            SessionOptions options) {
        Session<String, String> session = Session.create(connection, decoder, ENCODER, options);
        AtomicInteger signals = new AtomicInteger();
        session.onClose().subscribe(v -> { }, error -> signals.incrementAndGet(), signals::incrementAndGet);
        sessions.add(session);
        onCloseSignals.add(signals);
        return session;
    }

    private Session<String, String> client() {
        return session(pair.client(), "client");
    }

    private Session<String, String> server() {
        return session(pair.server(), "server");
    }

    /** Sends raw bytes from the server end, bypassing any session. */
    private void sendRaw(ByteBuffer bytes) {
        pair.server().send(Mono.just(bytes)).block(WAIT);
    }

    @AfterEach
    void everySessionEndsClosedAndStoppedWithOnCloseSignalledOnce() {
        sessions.forEach(Session::initiateClose);
        time.advanceTimeBy(DRAIN);
        for (int i = 0; i < sessions.size(); i++) {
            Session<String, String> session = sessions.get(i);
            StepVerifier.create(session.close()).expectComplete().verify(WAIT);
            assertThat(session.isActive()).as("%s active", session).isFalse();
            assertThat(session.isClosed()).as("%s closed", session).isTrue();
            assertThat(onCloseSignals.get(i)).as("onClose() signals of %s", session).hasValue(1);
            assertThat(((DefaultSession<?, ?>) session).fullyStopped())
                    .as("%s: queue, reader, monitors and timers stopped", session).isTrue();
        }
        time.dispose();
    }

    @Nested
    class PullMode {

        @Test
        void receiveReturnsMessagesInSendOrder() {
            Session<String, String> client = client();
            server().sendAll(Flux.just("a", "b", "c")).block(WAIT);

            assertThat(client.receive().block(WAIT)).isEqualTo("a");
            assertThat(client.receive().block(WAIT)).isEqualTo("b");
            assertThat(client.receiveNow()).isEqualTo("c");
        }

        @Test
        void receiveNowReturnsNullWhenNothingArrived() {
            Session<String, String> client = client();
            Session<String, String> server = server();

            assertThat(client.receiveNow()).isNull();
            server.send("x").block(WAIT);
            assertThat(client.receiveNow()).isEqualTo("x");
            assertThat(client.receiveNow()).isNull();
        }

        @Test
        void receiveWaitsForALaterSend() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            AtomicReference<String> received = new AtomicReference<>();

            client.receive().subscribe(received::set);
            assertThat(received).hasValue(null);

            server.send("late").block(WAIT);
            assertThat(received).hasValue("late");
        }

        @Test
        void closeDuringAPendingReceiveSignalsEndOfQueue() {
            Session<String, String> client = client();

            StepVerifier.create(client.receive())
                    .expectSubscription()
                    .then(client::initiateClose)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(EndOfQueueException.class)
                            .hasMessage("session client is closed and every kept message was delivered"))
                    .verify(WAIT);
        }

        @Test
        void closedAndDrainedSessionSignalsEndOfQueueToEveryPull() {
            Session<String, String> client = client();
            client.close().block(WAIT);

            StepVerifier.create(client.receive()).expectError(EndOfQueueException.class).verify(WAIT);
            assertThatThrownBy(client::receiveNow).isInstanceOf(EndOfQueueException.class);
        }

        @Test
        void messagesKeptAtThePeersCloseAreStillPulledThenEndOfQueue() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            server.sendAll(Flux.just("a", "b", "c")).block(WAIT);
            server.close().block(WAIT);

            assertThat(client.isClosed()).isTrue();
            assertThat(client.isActive()).isFalse();
            assertThat(onCloseSignals.get(0)).as("client onClose before draining").hasValue(0);
            assertThat(client.receive().block(WAIT)).isEqualTo("a");
            assertThat(client.receiveNow()).isEqualTo("b");
            assertThat(client.receive().block(WAIT)).isEqualTo("c");
            assertThat(onCloseSignals.get(0)).as("client onClose once drained").hasValue(1);
            assertThatThrownBy(client::receiveNow).isInstanceOf(EndOfQueueException.class);
        }
    }

    @Nested
    class DispatchMode {

        @Test
        void inboundDeliversMessagesInOrder() {
            Session<String, String> client = client();
            Session<String, String> server = server();

            StepVerifier.create(client.inbound().take(3))
                    .then(() -> server.sendAll(Flux.just("a", "b", "c")).subscribe())
                    .expectNext("a", "b", "c")
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void pullingWhileDispatchingIsRefused() {
            Session<String, String> client = client();
            Disposable dispatcher = client.inbound().subscribe();
            assertThat(client.isDispatching()).isTrue();

            StepVerifier.create(client.receive())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SessionStateException.class)
                            .hasMessage("receive() on session client while inbound() is dispatching (its subscriber"
                                    + " has demand); expected no demand, i.e. paused"))
                    .verify(WAIT);
            assertThatThrownBy(client::receiveNow).isInstanceOf(SessionStateException.class)
                    .hasMessageStartingWith("receiveNow() on session client while inbound() is dispatching");

            dispatcher.dispose();
            assertThat(client.isDispatching()).isFalse();
        }

        @Test
        void secondInboundSubscriberIsRefused() {
            Session<String, String> client = client();
            client.inbound().subscribe();

            StepVerifier.create(client.inbound())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SessionStateException.class)
                            .hasMessageContaining("already has an inbound() subscriber"))
                    .verify(WAIT);
        }

        @Test
        void failingSubscriberEndsOnlyItsSubscriptionAndTheNextOneContinues() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            List<String> seen = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            client.inbound().doOnNext(message -> {
                seen.add(message);
                if (message.equals("b")) {
                    throw new IllegalStateException("handler failure for the test");
                }
            }).subscribe(v -> { }, failure::set);

            server.sendAll(Flux.just("a", "b", "c", "d")).block(WAIT);

            assertThat(seen).containsExactly("a", "b");
            assertThat(failure.get()).hasMessage("handler failure for the test");
            assertThat(client.isActive()).isTrue();
            StepVerifier.create(client.inbound().take(2)).expectNext("c", "d").expectComplete().verify(WAIT);
        }

        @Test
        void closeFromInsideTheHandlerStillDeliversTheMessagesAlreadyReceived() {
            Session<String, String> client = client();
            StepVerifier.create(client.inbound().doOnNext(message -> {
                        if (message.equals("b")) {
                            client.close();
                        }
                    }))
                    .then(() -> sendRaw(frames("a", "b", "c", "d")))
                    .expectNext("a", "b", "c", "d")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(onCloseSignals.get(0)).hasValue(1);
        }

        @Test
        void inboundSubscribedAfterTheCloseCompletesAtOnce() {
            Session<String, String> client = client();
            client.close().block(WAIT);

            StepVerifier.create(client.inbound()).expectComplete().verify(WAIT);
        }
    }

    @Nested
    class PauseAsDemand {

        @Test
        void zeroDemandPausesAndPullingWorksWhilePausedAndResumingKeepsOrder() {
            Session<String, String> client = client();
            server().sendAll(Flux.just("1", "2", "3", "4", "5")).block(WAIT);
            TestSubscriber<String> dispatcher = TestSubscriber.<String>builder().initialRequest(1).build();

            client.inbound().subscribe(dispatcher);
            assertThat(dispatcher.getReceivedOnNext()).containsExactly("1");
            assertThat(client.isDispatching()).as("paused: no outstanding demand").isFalse();

            assertThat(client.receiveNow()).isEqualTo("2");
            assertThat(client.receive().block(WAIT)).isEqualTo("3");

            dispatcher.request(3);
            assertThat(dispatcher.getReceivedOnNext()).containsExactly("1", "4", "5");
            assertThat(client.isDispatching()).as("resumed: one request outstanding").isTrue();
            dispatcher.cancel();
        }

        @Test
        void zeroDemandTakesNoFurtherBytesFromTheTransport() {
            Session<String, String> client = client();
            server().sendAll(Flux.range(0, 10).map(String::valueOf)).block(WAIT);
            assertThat(clientPipe.pulledBuffers()).as("nothing taken before any demand").isZero();

            TestSubscriber<String> dispatcher = TestSubscriber.<String>builder().initialRequest(2).build();
            client.inbound().subscribe(dispatcher);
            time.advanceTimeBy(Duration.ofHours(1));

            assertThat(dispatcher.getReceivedOnNext()).containsExactly("0", "1");
            assertThat(clientPipe.pulledBuffers()).isEqualTo(2);
            assertThat(clientPipe.pendingBuffers()).isEqualTo(8);

            dispatcher.request(3);
            assertThat(clientPipe.pulledBuffers()).isEqualTo(5);
            dispatcher.cancel();
        }

        @Test
        void memoryStaysBoundedWhenTheConsumerStopsRequesting() {
            Session<String, String> client = client();
            AtomicInteger produced = new AtomicInteger();
            AtomicBoolean allSent = new AtomicBoolean();
            server().sendAll(Flux.range(0, 100_000).map(String::valueOf).doOnNext(m -> produced.incrementAndGet()))
                    .doOnSuccess(v -> allSent.set(true))
                    .subscribe();
            TestSubscriber<String> dispatcher = TestSubscriber.<String>builder().initialRequest(10).build();
            client.inbound().subscribe(dispatcher);

            assertThat(dispatcher.getReceivedOnNext()).hasSize(10);
            assertThat(clientPipe.pulledBuffers()).isEqualTo(10);
            int pipeAndHeld = InMemoryConnections.DEFAULT_CAPACITY + 1;
            assertThat(clientPipe.pendingBuffers()).isEqualTo(pipeAndHeld);
            assertThat(produced).as("the sender is held back by the full pipe").hasValue(10 + pipeAndHeld);
            assertThat(allSent).isFalse();
            dispatcher.cancel();
        }

        @Test
        void cancellingInsideOnNextLosesNoMessage() {
            Session<String, String> client = client();
            List<String> dispatched = new ArrayList<>();
            client.inbound().subscribe(new BaseSubscriber<String>() {
                @Override
                protected void hookOnNext(String value) {
                    dispatched.add(value);
                    cancel();
                }
            });

            sendRaw(frames("1", "2", "3"));

            assertThat(dispatched).containsExactly("1");
            assertThat(client.receiveNow()).isEqualTo("2");
            assertThat(client.receiveNow()).isEqualTo("3");
        }
    }

    /** The two upstream behaviours that {@code docs/sessions.md}, section 1, says this queue does not have. */
    @Nested
    class UpstreamBugsAbsent {

        @Test
        void emptyAndZeroValuedMessagesAreDeliveredByBlockingPull() {
            Session<String, String> client = client();
            server().sendAll(Flux.just("", "0", "", "x")).block(WAIT);

            assertThat(client.receive().block(WAIT)).isEmpty();
            assertThat(client.receive().block(WAIT)).isEqualTo("0");
            assertThat(client.receive().block(WAIT)).isEmpty();
            assertThat(client.receive().block(WAIT)).isEqualTo("x");
        }

        @Test
        void emptyMessagesAreDeliveredByNonBlockingPullAndDispatch() {
            Session<String, String> client = client();
            server().sendAll(Flux.just("", "", "y")).block(WAIT);

            assertThat(client.receiveNow()).isEmpty();
            StepVerifier.create(client.inbound().take(2)).expectNext("", "y").expectComplete().verify(WAIT);
        }

        @Test
        void timedOutReceiveIsATimeoutNotEndOfQueueAndLosesNothing() {
            Session<String, String> client = client();
            Session<String, String> server = server();

            StepVerifier.create(client.receive().timeout(Duration.ofSeconds(1), time))
                    .expectSubscription()
                    .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
                    .expectError(TimeoutException.class)
                    .verify(WAIT);

            assertThat(client.isActive()).isTrue();
            server.send("after").block(WAIT);
            assertThat(client.receive().block(WAIT)).isEqualTo("after");
        }

        @Test
        void cancelledReceiveIsOnlyACancellation() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            List<Object> signals = new ArrayList<>();

            client.receive().subscribe(signals::add, signals::add).dispose();
            server.send("kept").block(WAIT);

            assertThat(signals).isEmpty();
            assertThat(client.isActive()).isTrue();
            assertThat(client.receiveNow()).isEqualTo("kept");
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void echoRoundTrip() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            server.inbound().concatMap(server::send).subscribe();

            StepVerifier.create(client.send("ping").then(client.receive()))
                    .expectNext("ping")
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void peerCloseClosesTheSessionAndCompletesInboundAndOnClose() {
            Session<String, String> client = client();
            Session<String, String> server = server();

            StepVerifier.create(client.inbound())
                    .then(server::initiateClose)
                    .expectComplete()
                    .verify(WAIT);
            assertThat(client.isClosed()).isTrue();
            StepVerifier.create(client.onClose()).expectComplete().verify(WAIT);
        }

        @Test
        void closeClosesThePeerAndASecondCloseReturnsTheSameMono() {
            Session<String, String> client = client();
            Session<String, String> server = server();

            Mono<Void> first = client.close();
            Mono<Void> second = client.close();

            assertThat(second).isSameAs(first);
            StepVerifier.create(first).expectComplete().verify(WAIT);
            assertThat(pair.server().isDisposed()).isTrue();
            assertThat(server.isClosed()).isTrue();
            StepVerifier.create(server.onClose()).expectComplete().verify(WAIT);
        }

        @Test
        void closeFromInsideOnCloseNeitherBlocksNorSignalsTwice() {
            Session<String, String> client = client();
            AtomicReference<Mono<Void>> closedFromInside = new AtomicReference<>();
            client.onClose().subscribe(v -> { }, e -> { }, () -> closedFromInside.set(client.close()));

            client.close().block(WAIT);

            assertThat(closedFromInside.get()).isSameAs(client.close());
            assertThat(onCloseSignals.get(0)).hasValue(1);
        }

        @Test
        void concurrentClosesSignalOnCloseOnce() {
            for (int round = 0; round < 200; round++) {
                InMemoryConnections.Pair racePair = InMemoryConnections.pair();
                Session<String, String> a = session(racePair.client(), "race-client-" + round);
                Session<String, String> b = session(racePair.server(), "race-server-" + round);
                RaceTestUtils.race(() -> a.close().subscribe(), () -> a.close().subscribe(),
                        () -> b.close().subscribe());
                a.close().block(WAIT);
                b.close().block(WAIT);
            }
            assertThat(onCloseSignals).allSatisfy(signals -> assertThat(signals).hasValue(1));
        }

        @Test
        void sendOnAClosedSessionIsRefused() {
            Session<String, String> client = client();
            client.close().block(WAIT);

            StepVerifier.create(client.send("late"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SessionStateException.class)
                            .hasMessage("send on session client which is closed; expected an active session"))
                    .verify(WAIT);
        }

        @Test
        void hundredThousandMessagesThenCloseAreAllDispatchedThenEndOfStream() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            int count = 100_000;
            server.sendAll(Flux.range(0, count).map(String::valueOf)).then(Mono.defer(server::close)).subscribe();

            List<String> received = client.inbound().collectList().block(WAIT);

            assertThat(received).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(received.get(i)).isEqualTo(String.valueOf(i));
            }
            assertThat(client.isClosed()).isTrue();
        }

        @Test
        void hundredThousandMessagesThenCloseAreAllPulledThenEndOfQueue() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            int count = 100_000;
            server.sendAll(Flux.range(0, count).map(String::valueOf)).then(Mono.defer(server::close)).subscribe();

            for (int i = 0; i < count; i++) {
                String message = client.receiveNow();
                if (!String.valueOf(i).equals(message)) {
                    assertThat(message).as("message %d", i).isEqualTo(String.valueOf(i));
                }
            }
            assertThatThrownBy(client::receiveNow).isInstanceOf(EndOfQueueException.class);
        }

        @Test
        void gracefulDrainEndsAtTheDrainTimeoutWhenNobodyReads() {
            Session<String, String> client = client();
            server().sendAll(Flux.just("a", "b")).block(WAIT);

            Mono<Void> closed = client.close();
            time.advanceTimeBy(DRAIN.minusMillis(1));
            assertThat(onCloseSignals.get(0)).as("still draining").hasValue(0);

            time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(onCloseSignals.get(0)).hasValue(1);
            StepVerifier.create(closed).expectComplete().verify(WAIT);
            assertThatThrownBy(client::receiveNow).isInstanceOf(EndOfQueueException.class);
        }

        static Stream<Arguments> gracefulXCountXConsumer() {
            return Stream.of(true, false).flatMap(graceful -> Stream.of(1, 10, 100).flatMap(count ->
                    Stream.of("slow", "fast").map(consumer -> Arguments.of(graceful, count, consumer))));
        }

        @ParameterizedTest(name = "graceful={0}, {1} messages, {2} consumer")
        @MethodSource("gracefulXCountXConsumer")
        void peerSendsThenClosesAndTheWholeStreamIsSeenOnlyWhenGracefulOrKeptUp(boolean graceful, int count,
                String consumer) {
            SessionOptions options = options().gracefulShutdown(graceful);
            Session<String, String> client = session(pair.client(), DECODER, options.name("client"));
            Session<String, String> server = session(pair.server(), DECODER, options.name("server"));
            List<String> received = new ArrayList<>();
            AtomicBoolean endSeen = new AtomicBoolean();
            boolean fast = consumer.equals("fast");
            if (fast) {
                client.inbound().subscribe(received::add, e -> { }, () -> endSeen.set(true));
            }

            server.sendAll(Flux.range(0, count).map(String::valueOf)).then(Mono.defer(server::close)).block(WAIT);

            if (!fast) {
                // the slow consumer starts reading only after the peer closed
                while (!endSeen.get()) {
                    try {
                        String message = client.receiveNow();
                        assertThat(message).as("a closing session has a message or ends").isNotNull();
                        received.add(message);
                    } catch (EndOfQueueException end) {
                        endSeen.set(true);
                    }
                }
            }
            assertThat(endSeen).isTrue();
            List<String> all = Flux.range(0, count).map(String::valueOf).collectList().block(WAIT);
            if (graceful || fast) {
                assertThat(received).containsExactlyElementsOf(all);
            } else {
                assertThat(received).as("without drain the kept messages are discarded").isEmpty();
            }
        }
    }

    @Nested
    class Heartbeats {

        private static final String HEARTBEAT = "hb";

        @Test
        void silentPeerClosesTheSessionExactlyAtTheRemoteIntervalWithIdleTimeout() {
            Session<String, String> client = client();
            TestSubscriber<String> dispatcher = TestSubscriber.create();
            client.inbound().subscribe(dispatcher);
            client.startHeartbeats(Duration.ofSeconds(10), Duration.ofMillis(10), () -> HEARTBEAT);

            time.advanceTimeBy(Duration.ofMillis(9));
            assertThat(client.isActive()).isTrue();
            time.advanceTimeBy(Duration.ofMillis(1));

            assertThat(client.isClosed()).as("closed at 10 ms, within 100 ms").isTrue();
            assertThat(dispatcher.expectTerminalError()).isInstanceOf(IdleTimeoutException.class)
                    .hasMessage("session client: no bytes received from the peer for PT0.01S; expected data or "
                            + "heartbeats at least every PT0.01S");
            StepVerifier.create(client.onClose()).expectError(IdleTimeoutException.class).verify(WAIT);
            assertThat(pair.server().isDisposed()).isTrue();
        }

        @Test
        void silenceCountsFromTheLastRead() {
            Session<String, String> client = client();
            client.inbound().subscribe();
            client.startHeartbeats(Duration.ofSeconds(10), Duration.ofMillis(10), () -> HEARTBEAT);

            time.advanceTimeBy(Duration.ofMillis(7));
            sendRaw(frame("tick"));
            time.advanceTimeBy(Duration.ofMillis(9));
            assertThat(client.isActive()).as("9 ms after the last read").isTrue();
            time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(client.isClosed()).as("10 ms after the last read").isTrue();
        }

        @Test
        void inboundBytesKeepTheRemoteHeartbeatSatisfied() {
            Session<String, String> client = client();
            client.inbound().subscribe();
            client.startHeartbeats(Duration.ofSeconds(10), Duration.ofMillis(10), () -> HEARTBEAT);

            for (int t = 0; t < 1_000; t += 9) {
                time.advanceTimeBy(Duration.ofMillis(9));
                sendRaw(frame("tick"));
            }
            assertThat(client.isActive()).as("after 1 s of traffic every 9 ms").isTrue();

            time.advanceTimeBy(Duration.ofMillis(20));
            assertThat(client.isClosed()).as("20 ms of silence").isTrue();
        }

        @Test
        void heartbeatIsSentWheneverNothingWasSentForTheLocalInterval() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            List<String> arrivals = new ArrayList<>();
            server.inbound().subscribe(m -> arrivals.add(time.now(TimeUnit.MILLISECONDS) + ":" + m));
            client.startHeartbeats(Duration.ofMillis(100), Duration.ofSeconds(10), () -> HEARTBEAT);

            time.advanceTimeBy(Duration.ofMillis(250));
            client.send("app").block(WAIT);
            time.advanceTimeBy(Duration.ofMillis(250));

            assertThat(arrivals).containsExactly("100:hb", "200:hb", "250:app", "350:hb", "450:hb");
        }

        @Test
        void heartbeatsStartOnceOnAnActiveSession() {
            Session<String, String> client = client();
            client.startHeartbeats(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> HEARTBEAT);

            assertThatThrownBy(() -> client.startHeartbeats(Duration.ofSeconds(1), Duration.ofSeconds(1),
                    () -> HEARTBEAT)).isInstanceOf(SessionStateException.class)
                    .hasMessageContaining("already started");
            assertThatThrownBy(() -> client.startHeartbeats(Duration.ZERO, Duration.ofSeconds(1), () -> HEARTBEAT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("local heartbeat interval must be positive, was PT0S");
        }
    }

    @Nested
    class Decoding {

        @Test
        void oneMessagePerRead() {
            Session<String, String> client = client();
            sendRaw(frame("a"));
            sendRaw(frame("b"));

            StepVerifier.create(client.inbound().take(2)).expectNext("a", "b").expectComplete().verify(WAIT);
            assertThat(clientPipe.pulledBuffers()).isEqualTo(2);
        }

        @Test
        void severalMessagesInOneRead() {
            Session<String, String> client = client();
            sendRaw(frames("a", "b", "c"));

            StepVerifier.create(client.inbound().take(3)).expectNext("a", "b", "c").expectComplete().verify(WAIT);
            assertThat(clientPipe.pulledBuffers()).isEqualTo(1);
        }

        @Test
        void messageSplitByteByByteIsDeliveredOnlyAfterItsLastByte() {
            Session<String, String> client = client();
            TestSubscriber<String> dispatcher = TestSubscriber.create();
            client.inbound().subscribe(dispatcher);
            ByteBuffer whole = frame("hello");

            for (int i = 0; i < whole.limit(); i++) {
                assertThat(dispatcher.getReceivedOnNext()).as("before byte %d", i + 1).isEmpty();
                sendRaw(ByteBuffer.wrap(new byte[] {whole.get(i)}));
            }

            assertThat(dispatcher.getReceivedOnNext()).containsExactly("hello");
            dispatcher.cancel();
        }

        @Test
        void emptyReadIsIgnored() {
            Session<String, String> client = client();
            sendRaw(ByteBuffer.allocate(0));
            sendRaw(frame("after"));

            assertThat(client.receiveNow()).isEqualTo("after");
            assertThat(client.isActive()).isTrue();
        }

        @Test
        void undecodableFrameClosesTheSessionWithTheProtocolException() {
            Session<String, String> client = client();
            TestSubscriber<String> dispatcher = TestSubscriber.create();
            client.inbound().subscribe(dispatcher);

            sendRaw(ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).flip());

            Throwable reason = dispatcher.expectTerminalError();
            assertThat(reason).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("frame length 1025 exceeds maxFrameLength 1024");
            StepVerifier.create(client.onClose())
                    .expectErrorSatisfies(e -> assertThat(e).isSameAs(reason))
                    .verify(WAIT);
            assertThat(client.isClosed()).isTrue();
            assertThat(pair.server().isDisposed()).as("the connection is closed, not left hanging").isTrue();
        }

        @Test
        void undecodableFrameEndsAWaitingPullWithTheReasonAsCause() {
            Session<String, String> client = client();

            StepVerifier.create(client.receive())
                    .expectSubscription()
                    .then(() -> sendRaw(ByteBuffer.allocate(4).putInt(-1).flip()))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(EndOfQueueException.class)
                            .hasCauseInstanceOf(ProtocolException.class))
                    .verify(WAIT);
        }

        @Test
        void throwingDecoderClosesTheSession() {
            FrameDecoder<String> throwing = buffer -> {
                String message = DECODER.decode(buffer);
                if ("boom".equals(message)) {
                    throw new IllegalArgumentException("payload 'boom' refused by the test decoder");
                }
                return message;
            };
            Session<String, String> client = session(pair.client(), throwing, options().name("client"));

            StepVerifier.create(client.inbound())
                    .then(() -> sendRaw(frames("ok", "boom", "never")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                            .hasMessageStartingWith("frame decoder of session client failed: "
                                    + "java.lang.IllegalArgumentException: payload 'boom' refused by the test decoder")
                            .hasCauseInstanceOf(IllegalArgumentException.class))
                    .verify(WAIT);
            assertThat(client.isClosed()).isTrue();
        }
    }

    @Nested
    class Concurrency {

        private static final int COUNT = 20_000;

        private List<String> expected() {
            return Flux.range(0, COUNT).map(String::valueOf).collectList().block(WAIT);
        }

        @Test
        void demandFromOneThreadAndSendsFromAnotherDeliverEveryMessageOnceInOrder() {
            for (int round = 0; round < 5; round++) {
                InMemoryConnections.Pair racePair = InMemoryConnections.pair(16);
                Session<String, String> client = session(racePair.client(), "client-" + round);
                Session<String, String> server = session(racePair.server(), "server-" + round);
                TestSubscriber<String> dispatcher = TestSubscriber.<String>builder().initialRequest(0).build();
                client.inbound().subscribe(dispatcher);

                RaceTestUtils.race(
                        () -> server.sendAll(Flux.range(0, COUNT).map(String::valueOf)).subscribe(),
                        () -> {
                            for (int i = 0; i < COUNT; i++) {
                                dispatcher.request(1);
                            }
                        });

                assertThat(dispatcher.getReceivedOnNext()).as("round %d", round).containsExactlyElementsOf(expected());
                dispatcher.cancel();
            }
        }

        @Test
        void concurrentPullersTakeEveryMessageExactlyOnceEachInOrder() {
            Session<String, String> client = client();
            Session<String, String> server = server();
            AtomicInteger taken = new AtomicInteger();
            List<List<Integer>> perPuller = List.of(new ArrayList<>(), new ArrayList<>());
            long deadline = System.nanoTime() + WAIT.toNanos();
            Runnable[] racers = new Runnable[3];
            racers[0] = () -> server.sendAll(Flux.range(0, COUNT).map(String::valueOf)).subscribe();
            for (int p = 0; p < 2; p++) {
                List<Integer> mine = perPuller.get(p);
                racers[p + 1] = () -> {
                    while (taken.get() < COUNT && System.nanoTime() < deadline) {
                        String message = client.receiveNow();
                        if (message != null) {
                            mine.add(Integer.valueOf(message));
                            taken.incrementAndGet();
                        }
                    }
                };
            }

            RaceTestUtils.race(racers);

            assertThat(taken).as("messages taken before the deadline").hasValue(COUNT);
            List<Integer> all = new ArrayList<>();
            for (List<Integer> mine : perPuller) {
                assertThat(mine).as("one puller's messages keep the queue order").isSorted();
                all.addAll(mine);
            }
            assertThat(all).as("each message exactly once").doesNotHaveDuplicates().hasSize(COUNT);
        }
    }

    @Test
    void subscriptionRequestedBeforeConnectionDataArrivesIsServedLater() {
        Session<String, String> client = client();
        List<String> received = new ArrayList<>();
        client.inbound().subscribe(new BaseSubscriber<String>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            protected void hookOnNext(String value) {
                received.add(value);
            }
        });

        sendRaw(frames("first", "second"));

        assertThat(received).containsExactly("first");
        assertThat(client.receiveNow()).isEqualTo("second");
    }
}
