package io.github.reactivepubsub.tcp.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.github.reactivepubsub.micrometer.SessionMetrics;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.github.reactivepubsub.tcp.soup.Authenticator;
import io.github.reactivepubsub.tcp.soup.LoginRejectedException;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpClient;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupClientOptions;
import io.github.reactivepubsub.tcp.soup.SoupLogin;
import io.github.reactivepubsub.tcp.soup.SoupServerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/** The TCP module's figures over real loopback connections, read through a {@link SimpleMeterRegistry}. */
class TcpMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @RegisterExtension
    final Closer closer = new Closer();

    private final Hub brokerHub = closer.add(Hub.create(), Hub::close);
    private PubSubServer broker;
    private RemoteHub remote;
    private SoupBinTcpServer soupServer;

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void remoteHubAndBrokerCountPublishesDeliveriesAndConnectionTraffic() {
        broker = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", 0)
                .block(WAIT);
        closer.add(broker, b -> b.disposeNow(WAIT));
        remote = RemoteHub.create("127.0.0.1", broker.port(), Codecs.utf8(), RemoteHubOptions.defaults());
        closer.add(remote, RemoteHub::close);
        HubMetrics.of(remote).name("remote").topics(List.of(Key.parse("md.*"))).bindTo(registry);
        HubMetrics.of(brokerHub).name("broker").bindTo(registry);
        SessionMetrics.of(remote.connectionStats(), "remote-hub").bindTo(registry);
        SessionMetrics.of(broker.connectionStats(), "broker").bindTo(registry);
        remote.connected().block(WAIT);

        StepVerifier.Step<Message<String>> received = StepVerifier.create(remote.<String>subscribe("md.*").take(3));
        StepVerifier later = received.expectNextCount(3).expectComplete().verifyLater();
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("md.*")) == 1, () -> "subscribed at the broker");
        for (int i = 0; i < 3; i++) {
            remote.publish("md.tick", "t" + i);
        }
        later.verify(WAIT);

        assertThat(counter("reactive.pubsub.hub.published", "hub", "remote", "result", "sent")).isEqualTo(3);
        assertThat(counter("reactive.pubsub.hub.delivered", "hub", "remote")).isEqualTo(3);
        assertThat(counter("reactive.pubsub.topic.delivered", "hub", "remote", "topic", "md.*")).isEqualTo(3);
        assertThat(counter("reactive.pubsub.hub.published", "hub", "broker", "result", "delivered")).isEqualTo(3);
        assertThat(gauge("reactive.pubsub.session.open", "name", "broker")).isEqualTo(1);
        assertThat(gauge("reactive.pubsub.session.open", "name", "remote-hub")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.session.frames", "name", "broker", "direction", "in"))
                .as("HELLO, SUBSCRIBE, credit, 3 PUBLISH at least").isGreaterThanOrEqualTo(5);
        assertThat(counter("reactive.pubsub.session.frames", "name", "remote-hub", "direction", "in"))
                .as("WELCOME, events, 3 MESSAGE at least").isGreaterThanOrEqualTo(4);
        assertThat(counter("reactive.pubsub.session.bytes", "name", "remote-hub", "direction", "out"))
                .isEqualTo(remote.connectionStats().bytesOut()).isPositive();

        remote.close();
        Await.until(WAIT, () -> broker.connectionStats().open() == 0, () -> "broker saw the close");
        assertThat(counter("reactive.pubsub.session.closes", "name", "broker", "reason", "normal")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.hub.published", "hub", "remote", "result", "closed")).isZero();
        remote.publish("md.tick", "late");
        assertThat(counter("reactive.pubsub.hub.published", "hub", "remote", "result", "closed")).isEqualTo(1);
    }

    @Test
    void soupServerAndClientCountLoginsSequenceAndPackets() {
        soupServer = SoupBinTcpServer.bindNow("127.0.0.1", 0, SoupServerOptions.defaults()
                .authenticator(Authenticator.of("u", "secret")));
        closer.add(soupServer, SoupBinTcpServer::disposeNow);
        soupServer.createSession("S1").publish("m1");
        soupServer.session("S1").publish("m2");
        SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", soupServer.port(),
                new SoupLogin("u", "secret", "S1", 1), SoupClientOptions.defaults());
        SoupBinTcpClient intruder = SoupBinTcpClient.create("127.0.0.1", soupServer.port(),
                new SoupLogin("u", "wrong", "S1", 1), SoupClientOptions.defaults());
        SoupMetrics.of(soupServer.stats(), "soup-server").bindTo(registry);
        SoupMetrics.of(client.stats(), "soup-client").bindTo(registry);
        SoupMetrics.of(intruder.stats(), "intruder").bindTo(registry);

        StepVerifier.create(client.messages().take(2)).expectNextCount(2).verifyComplete();
        assertThatThrownBy(() -> intruder.messages().blockLast(WAIT)).isInstanceOf(LoginRejectedException.class);
        Await.until(WAIT, () -> soupServer.stats().connections().open() == 0, () -> "server saw both closes");

        assertThat(counter("reactive.pubsub.soup.logins", "name", "soup-server", "result", "accepted")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.soup.logins", "name", "soup-server", "result", "rejected", "reason",
                "not_authorized")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.soup.logins", "name", "intruder", "result", "rejected", "reason",
                "not_authorized")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.soup.logins", "name", "soup-client", "result", "accepted")).isEqualTo(1);
        assertThat(gauge("reactive.pubsub.soup.sequence", "name", "soup-client")).isEqualTo(3);
        assertThat(gauge("reactive.pubsub.soup.sequence", "name", "soup-server")).isEqualTo(3);
        assertThat(counter("reactive.pubsub.soup.gaps", "name", "soup-client")).isZero();
        assertThat(counter("reactive.pubsub.session.frames", "name", "soup-client", "direction", "in"))
                .as("A + 2 S").isGreaterThanOrEqualTo(3);
        assertThat(counter("reactive.pubsub.session.frames", "name", "soup-client", "direction", "out"))
                .as("L").isGreaterThanOrEqualTo(1);
        assertThat(counter("reactive.pubsub.session.closes", "name", "soup-server", "reason", "normal"))
                .isEqualTo(2);
        assertThat(counter("reactive.pubsub.session.closes", "name", "intruder", "reason", "error")).isEqualTo(1);
        assertThat(soupServer.stats().connections().opened()).isEqualTo(2);
    }

    /**
     * A server that accepts a login at a later number than asked for (one that no longer holds the messages in
     * between; ours refuses such a login instead, see {@code docs/soupbintcp.md}, section 5): after the client's
     * {@code L} from 1 it answers {@code A} for session {@code SESS1} from 5, one {@code S} and {@code Z}.
     */
    @Test
    void aSoupClientAcceptedLaterThanItAskedCountsAGapAndWhatItSkipped() {
        byte[] acceptedFrom5 = HexFormat.of().parseHex("001f41" + ascii("     SESS1" + " ".repeat(19) + "5")
                + "000353" + ascii("hi") + "00015a");
        DisposableServer skipping = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> in.receive().take(1).then(out.sendByteArray(Mono.just(acceptedFrom5)).then())
                        .then(Mono.never()))
                .bindNow();
        closer.add(skipping, DisposableServer::disposeNow);
        SoupBinTcpClient client = SoupBinTcpClient.create("127.0.0.1", skipping.port(),
                new SoupLogin("u", "secret", "", 1), SoupClientOptions.defaults());
        SoupMetrics.of(client.stats(), "soup-client").bindTo(registry);

        StepVerifier.create(client.messages()).assertNext(m -> assertThat(m.sequence()).isEqualTo(5))
                .verifyComplete();

        assertThat(counter("reactive.pubsub.soup.gaps", "name", "soup-client")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.soup.skipped", "name", "soup-client")).as("numbers 1 to 4").isEqualTo(4);
        assertThat(gauge("reactive.pubsub.soup.sequence", "name", "soup-client")).isEqualTo(6);
        assertThat(counter("reactive.pubsub.soup.logins", "name", "soup-client", "result", "accepted")).isEqualTo(1);
    }

    private static String ascii(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }
}
