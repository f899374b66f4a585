package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.IdleTimeoutException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Heartbeats, silence and login timeouts of both connection sides, transport-free, in virtual time.
 */
class ConnectionTimingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private VirtualTimeScheduler vts;
    private final Sinks.Many<SoupPacket> fromPeer = Sinks.many().unicast().onBackpressureBuffer();

    @BeforeEach
    void setUp() {
        vts = VirtualTimeScheduler.create();
    }

    @AfterEach
    void tearDown() {
        vts.dispose();
    }

    private void advance(long millis) {
        vts.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Nested
    class Server {

        private SoupSession session;
        private ServerConnection connection;

        @BeforeEach
        void setUp() {
            SoupServerState state = new SoupServerState(SoupServerOptions.defaults()
                    .authenticator(Authenticator.of("ABC", "secret")).scheduler(vts));
            session = state.createSession("SESS1");
            session.publish("m1");
            connection = new ServerConnection(state, InetSocketAddress.createUnresolved("peer", 1));
        }

        private void login() {
            fromPeer.tryEmitNext(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 0));
        }

        @Test
        void serverHeartbeatAfterOneSecondWithoutSendingThenEverySecond() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux()))
                    .then(this::login)
                    .expectNext(new SoupPacket.LoginAccepted("SESS1", 2))
                    .then(() -> advance(999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectNext(SoupPacket.ServerHeartbeat.INSTANCE)
                    .then(() -> advance(500))
                    .then(() -> session.publish("m2"))
                    .assertNext(p -> assertThat(p).isInstanceOf(SequencedMessage.class))
                    .then(() -> advance(999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectNext(SoupPacket.ServerHeartbeat.INSTANCE)
                    .then(() -> fromPeer.tryEmitNext(SoupPacket.LogoutRequest.INSTANCE))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void clientSilenceClosesAfterFifteenSecondsAndHeartbeatsKeepItOpen() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux())
                            .filter(p -> p != SoupPacket.ServerHeartbeat.INSTANCE))
                    .then(this::login)
                    .expectNextCount(1)
                    .then(() -> {
                        for (int i = 0; i < 5; i++) {
                            advance(10_000);
                            fromPeer.tryEmitNext(SoupPacket.ClientHeartbeat.INSTANCE);
                        }
                    })
                    .then(() -> advance(14_999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void noLoginWithinTheLoginTimeoutCloses() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux()))
                    .then(() -> fromPeer.tryEmitNext(new SoupPacket.Debug("hi")))
                    .then(() -> advance(14_999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void debugGetsNoReplyAndLogoutCloses() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux()))
                    .then(this::login)
                    .expectNextCount(1)
                    .then(() -> fromPeer.tryEmitNext(new SoupPacket.Debug("hello")))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> fromPeer.tryEmitNext(SoupPacket.LogoutRequest.INSTANCE))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void secondLoginCloses() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux()))
                    .then(this::login)
                    .expectNextCount(1)
                    .then(this::login)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void endOfSessionAfterTheLastMessageThenClose() {
            StepVerifier.create(connection.outbound(fromPeer.asFlux()))
                    .then(() -> fromPeer.tryEmitNext(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 1)))
                    .expectNext(new SoupPacket.LoginAccepted("SESS1", 1))
                    .assertNext(p -> assertThat(p).isInstanceOf(SequencedMessage.class))
                    .then(session::end)
                    .expectNext(SoupPacket.EndOfSession.INSTANCE)
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class Client {

        /** What the client's decoder passes on: packets, and each S as its numbered message. */
        private final Sinks.Many<Object> fromServer = Sinks.many().unicast().onBackpressureBuffer();

        private ClientLink link(SoupClientOptions options) {
            return new ClientLink(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 1), options.scheduler(vts),
                    "peer", new ClientLink.Listener() {
                        @Override
                        public void loggedIn(ClientLink l, String session, long nextExpected) {
                        }

                        @Override
                        public void received(long nextExpected) {
                        }
                    });
        }

        @Test
        void clientHeartbeatsStartWithLoginAcceptedAndFollowIdleness() {
            ClientLink link = link(SoupClientOptions.defaults());
            reactor.core.Disposable reading = link.messages(fromServer.asFlux()).subscribe();
            StepVerifier.create(link.outbound())
                    .expectNext(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 1))
                    .then(() -> advance(5_000))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> fromServer.tryEmitNext(new SoupPacket.LoginAccepted("SESS1", 1)))
                    .then(() -> advance(999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectNext(SoupPacket.ClientHeartbeat.INSTANCE)
                    .then(() -> link.send(ClientLink.unsequenced(new byte[] {1})).block(WAIT))
                    .assertNext(p -> assertThat(p).isInstanceOf(SoupPacket.UnsequencedData.class))
                    .then(() -> advance(999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectNext(SoupPacket.ClientHeartbeat.INSTANCE)
                    .then(() -> link.send(SoupPacket.LogoutRequest.INSTANCE).block(WAIT))
                    .expectNext(SoupPacket.LogoutRequest.INSTANCE)
                    .expectComplete()
                    .verify(WAIT);
            reading.dispose();
        }

        @Test
        void serverSilenceFailsWithHeartbeatTimeout() {
            ClientLink link = link(SoupClientOptions.defaults());
            StepVerifier.create(link.messages(fromServer.asFlux()))
                    .then(() -> fromServer.tryEmitNext(new SoupPacket.LoginAccepted("SESS1", 1)))
                    .then(() -> fromServer.tryEmitNext(
                            new SequencedMessage(1, new byte[] {7})))
                    .assertNext(m -> assertThat(m.sequence()).isEqualTo(1))
                    .then(() -> advance(10_000))
                    .then(() -> fromServer.tryEmitNext(SoupPacket.ServerHeartbeat.INSTANCE))
                    .then(() -> advance(14_999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IdleTimeoutException.class)
                            .hasMessageContaining("nothing received from peer for PT15S")
                            .hasMessageContaining("next expected sequence 2"))
                    .verify(WAIT);
        }

        @Test
        void noLoginReplyFailsWithTimeout() {
            ClientLink link = link(SoupClientOptions.defaults().loginTimeout(Duration.ofSeconds(3)));
            StepVerifier.create(link.messages(fromServer.asFlux()))
                    .then(() -> advance(2_999))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> advance(1))
                    .expectError(TimeoutException.class)
                    .verify(WAIT);
        }

        @Test
        void endOfSessionCompletesAfterPrecedingMessages() {
            ClientLink link = link(SoupClientOptions.defaults());
            StepVerifier.create(link.messages(fromServer.asFlux()).map(SequencedMessage::sequence))
                    .then(() -> {
                        fromServer.tryEmitNext(new SoupPacket.LoginAccepted("SESS1", 41));
                        fromServer.tryEmitNext(new SequencedMessage(41, new byte[0]));
                        fromServer.tryEmitNext(new SequencedMessage(42, new byte[0]));
                        fromServer.tryEmitNext(SoupPacket.EndOfSession.INSTANCE);
                    })
                    .expectNext(41L, 42L)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aLoginAcceptedBeyondTheLargestSequenceNumberIsAProtocolError() {
            ClientLink link = link(SoupClientOptions.defaults());
            StepVerifier.create(link.messages(fromServer.asFlux()))
                    .then(() -> fromServer.tryEmitNext(new SoupPacket.LoginAccepted("SESS1", Long.MAX_VALUE)))
                    .then(() -> fromServer.tryEmitNext(new SequencedMessage(Long.MAX_VALUE, new byte[0])))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(io.github.reactivepubsub.ProtocolException.class)
                            .hasMessageContaining("Login Accepted from peer has the sequence number "
                                    + "9223372036854775807, beyond the largest 9223372036854775806"))
                    .verify(WAIT);
        }

        @Test
        void aMessageNumberedBeyondTheLargestSequenceNumberIsAProtocolErrorNotAWrappedCount() {
            List<Long> resumePoints = new ArrayList<>();
            ClientLink link = new ClientLink(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 1),
                    SoupClientOptions.defaults().scheduler(vts), "peer", new ClientLink.Listener() {
                        @Override
                        public void loggedIn(ClientLink l, String session, long nextExpected) {
                            resumePoints.add(nextExpected);
                        }

                        @Override
                        public void received(long nextExpected) {
                            resumePoints.add(nextExpected);
                        }
                    });
            StepVerifier.create(link.messages(fromServer.asFlux()).map(SequencedMessage::sequence))
                    .then(() -> {
                        fromServer.tryEmitNext(new SoupPacket.LoginAccepted("SESS1", Long.MAX_VALUE - 1));
                        fromServer.tryEmitNext(new SequencedMessage(Long.MAX_VALUE - 1, new byte[0]));
                        fromServer.tryEmitNext(new SequencedMessage(Long.MAX_VALUE, new byte[0]));
                    })
                    .expectNext(Long.MAX_VALUE - 1)
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(io.github.reactivepubsub.ProtocolException.class)
                            .hasMessageContaining("numbered 9223372036854775807, beyond the largest sequence number"))
                    .verify(WAIT);
            assertThat(resumePoints).containsExactly(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        }

        @Test
        void sequencedDataBeforeLoginIsAProtocolError() {
            ClientLink link = link(SoupClientOptions.defaults());
            StepVerifier.create(link.messages(fromServer.asFlux()))
                    .then(() -> fromServer.tryEmitNext(new SequencedMessage(0, new byte[0])))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(io.github.reactivepubsub.ProtocolException.class)
                            .hasMessageContaining("before Login Accepted"))
                    .verify(WAIT);
        }
    }
}
