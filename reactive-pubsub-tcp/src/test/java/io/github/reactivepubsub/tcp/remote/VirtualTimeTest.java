package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.tcp.broker.BrokerConnection;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HeartbeatFrame;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Where the clock matters — back-off and heartbeats — time is virtual: no test waits for it. */
class VirtualTimeTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    @Test
    void failedConnectionAttemptsAreRetriedWithExponentialBackoffOnTheScheduler() {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        RemoteHub hub = new RemoteHub(() -> Mono.defer(() -> {
            attempts.add(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS));
            return Mono.error(new IOException("connection refused"));
        }), Codecs.utf8(), RemoteHubOptions.defaults().scheduler(clock)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0.5), "nowhere:1");
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        hub.status().subscribe(statuses::add);
        try {
            assertThat(attempts).containsExactly(0L);
            clock.advanceTimeBy(Duration.ofMillis(999));
            assertThat(attempts).as("no retry before the minimum back-off").hasSize(1);
            clock.advanceTimeBy(Duration.ofMinutes(1));
            long[] expectedMin = {1_000, 1_000, 2_000, 4_000, 4_000};
            long[] expectedMax = {1_500, 3_000, 6_000, 8_000, 8_000};
            for (int i = 0; i < expectedMin.length; i++) {
                long gap = attempts.get(i + 1) - attempts.get(i);
                assertThat(gap).as("delay before attempt %d (attempts at %s)", i + 2, attempts)
                        .isBetween(expectedMin[i], expectedMax[i]);
            }
            // the first attempt (CONNECTING) failed at once, before this subscriber: it starts from DISCONNECTED
            assertThat(statuses.subList(0, 4)).containsExactly(ConnectionStatus.DISCONNECTED,
                    ConnectionStatus.RECONNECTING, ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECTING);
        } finally {
            hub.close();
        }
        int made = attempts.size();
        clock.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(attempts).as("no attempt after close").hasSize(made);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(ConnectionStatus.CLOSED);
    }

    @Test
    void theServerClosesAConnectionSilentForTwoToFourHeartbeatIntervalsAndReleasesItsSubscriptions() {
        Link link = serve();
        Session<Frame, Frame> serverSide = link.server();
        Session<Frame, Frame> clientSide = link.client();
        AtomicReference<Throwable> closeReason = new AtomicReference<>();
        serverSide.onClose().subscribe(null, closeReason::set);
        List<Frame> received = new CopyOnWriteArrayList<>();
        clientSide.inbound().subscribe(received::add, e -> { });
        clientSide.sendAll(Flux.just(new HelloFrame(1, 1, "", ""),
                new SubscribeFrame(1, 8, Overflow.ERROR, Key.parse("h.k")))).subscribe();
        assertThat(link.hub().subscriberCount(Key.parse("h.k"))).isEqualTo(1);
        assertThat(received.get(0)).isInstanceOf(WelcomeFrame.class);

        clock.advanceTimeBy(Duration.ofMillis(1_999));
        assertThat(serverSide.isClosed()).as("open within two intervals of silence").isFalse();
        assertThat(received).as("the server heartbeats while idle").contains(HeartbeatFrame.INSTANCE);
        clock.advanceTimeBy(Duration.ofMillis(2_001));
        assertThat(serverSide.isClosed()).as("closed after at most four intervals of silence").isTrue();
        assertThat(closeReason.get()).isInstanceOf(IdleTimeoutException.class);
        assertThat(link.hub().subscriberCount(Key.parse("h.k"))).as("its subscription was released").isZero();
        link.hub().close();
    }

    @Test
    void aClientThatHeartbeatsStaysConnected() {
        Link link = serve();
        Session<Frame, Frame> serverSide = link.server();
        Session<Frame, Frame> clientSide = link.client();
        clientSide.inbound().subscribe(f -> { }, e -> { });
        clientSide.send(new HelloFrame(1, 1, "", "")).subscribe();
        clientSide.startHeartbeats(Duration.ofSeconds(1), Duration.ofSeconds(2), () -> HeartbeatFrame.INSTANCE);
        clock.advanceTimeBy(Duration.ofMinutes(10));
        assertThat(serverSide.isClosed()).isFalse();
        assertThat(clientSide.isClosed()).isFalse();
        clientSide.close();
        serverSide.close();
        link.hub().close();
    }

    /** The broker's hub and the two ends of a broker connection over an in-memory pair, timed by the virtual clock. */
    private record Link(Hub hub, Session<Frame, Frame> server, Session<Frame, Frame> client) {
    }

    /**
     * @return a client session connected to a broker connection that serves a new hub and heartbeats every second of
     *     the virtual clock; the client has sent nothing yet
     */
    private Link serve() {
        Hub hub = Hub.create();
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        SessionOptions timed = SessionOptions.defaults().scheduler(clock);
        Session<Frame, Frame> serverSide = Session.create(pair.server(),
                FrameDecoder.lengthPrefixed(FrameCodec.LENIENT, 65_535), FrameEncoder.lengthPrefixed(FrameCodec.STRICT),
                timed.name("server"));
        Session<Frame, Frame> clientSide = Session.create(pair.client(),
                FrameDecoder.lengthPrefixed(FrameCodec.STRICT, 65_535), FrameEncoder.lengthPrefixed(FrameCodec.STRICT),
                timed.name("client"));
        Mono.from(BrokerConnection.serve(hub, castCodec(),
                PubSubServerOptions.defaults().heartbeatInterval(Duration.ofSeconds(1)).scheduler(clock), serverSide))
                .subscribe();
        return new Link(hub, serverSide, clientSide);
    }

    @SuppressWarnings("unchecked")
    private static io.github.reactivepubsub.codec.Codec<Object> castCodec() {
        return (io.github.reactivepubsub.codec.Codec<Object>) (io.github.reactivepubsub.codec.Codec<?>) Codecs.utf8();
    }
}
