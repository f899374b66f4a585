package io.github.reactivepubsub.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.DuplexConnection;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.session.SessionStats;
import io.github.reactivepubsub.session.SessionStats.CloseReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link SessionStats} recorded by real sessions over the in-memory transport, bound by {@link SessionMetrics}. */
class SessionMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SessionStats clientStats = SessionStats.create();
    private final SessionStats serverStats = SessionStats.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Session<String, String> session(DuplexConnection connection,
            String name, SessionStats stats) {
        return Session.create(connection, FrameDecoder.lengthPrefixed(Codecs.utf8(), 1024),
                FrameEncoder.lengthPrefixed(Codecs.utf8()),
                SessionOptions.defaults().name(name).scheduler(time).stats(stats));
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tag("name", "client").tags(tags).functionCounter().count();
    }

    @Test
    void framesBytesHeartbeatsAndClosesAreCounted() {
        SessionMetrics.of(clientStats, "client").bindTo(registry);
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        Session<String, String> client = session(pair.client(), "client", clientStats);
        Session<String, String> server = session(pair.server(), "server", serverStats);
        server.inbound().concatMap(m -> server.send("echo:" + m)).subscribe();
        assertThat(registry.get("reactive.pubsub.session.open").gauge().value()).isEqualTo(1);

        StepVerifier.create(client.send("hi").then(client.receive())).expectNext("echo:hi").verifyComplete();
        client.startHeartbeats(Duration.ofMillis(100), Duration.ofSeconds(10), () -> "hb");
        time.advanceTimeBy(Duration.ofMillis(250));

        assertThat(counter("reactive.pubsub.session.frames", "direction", "out")).as("hi + 2 heartbeats").isEqualTo(3);
        assertThat(counter("reactive.pubsub.session.bytes", "direction", "out")).isEqualTo(4 + 2 + 2 * (4 + 2));
        assertThat(counter("reactive.pubsub.session.frames", "direction", "in")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.session.bytes", "direction", "in")).isEqualTo(4 + 7);
        assertThat(counter("reactive.pubsub.session.heartbeats.sent")).isEqualTo(2);
        assertThat(registry.get("reactive.pubsub.session.bytes").functionCounter().getId().getBaseUnit())
                .isEqualTo("bytes");

        Mono<Void> closed = client.close();
        time.advanceTimeBy(Duration.ofSeconds(10)); // the drain timeout runs on the virtual clock
        closed.block(WAIT);
        assertThat(counter("reactive.pubsub.session.closes", "reason", "normal")).isEqualTo(1);
        assertThat(registry.get("reactive.pubsub.session.open").gauge().value()).isZero();
        assertThat(serverStats.framesIn()).as("hi and two heartbeats").isEqualTo(3);
    }

    @Test
    void aSilentPeerCountsAMissedHeartbeatAndATimeoutClose() {
        SessionMetrics.of(clientStats, "client").bindTo(registry);
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        Session<String, String> client = session(pair.client(), "client", clientStats);
        client.inbound().subscribe(m -> { }, e -> { });
        client.startHeartbeats(Duration.ofSeconds(10), Duration.ofMillis(10), () -> "hb");

        time.advanceTimeBy(Duration.ofMillis(20));

        assertThat(client.isClosed()).isTrue();
        assertThat(counter("reactive.pubsub.session.heartbeats.missed")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.session.closes", "reason", "timeout")).isEqualTo(1);
        assertThat(clientStats.open()).isZero();
        pair.server().dispose();
    }

    @Test
    void closeReasonsAreCategorized() {
        assertThat(CloseReason.of(null)).isEqualTo(CloseReason.NORMAL);
        assertThat(CloseReason.of(new IdleTimeoutException("silent"))).isEqualTo(CloseReason.TIMEOUT);
        assertThat(CloseReason.of(new TimeoutException("login"))).isEqualTo(CloseReason.TIMEOUT);
        assertThat(CloseReason.of(new ProtocolException(3, "bad"))).isEqualTo(CloseReason.PROTOCOL_ERROR);
        assertThat(CloseReason.of(new java.io.IOException("reset"))).isEqualTo(CloseReason.ERROR);
    }
}
