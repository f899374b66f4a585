package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.facade.Channels;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** A client that survives its broker going away and coming back on the same port. */
class RemoteHubReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Hub brokerHub = Hub.create();
    private PubSubServer server;
    private RemoteHub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
        if (server != null) {
            server.disposeNow(WAIT);
        }
        brokerHub.close();
    }

    private PubSubServer bind(int port) {
        return PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", port)
                .block(WAIT);
    }

    @Test
    void afterTheBrokerIsBoundAgainOnItsPortEverySubscriptionIsResumedExactlyOnce() {
        server = bind(0);
        int port = server.port();
        hub = RemoteHub.create("127.0.0.1", port, Codecs.utf8(),
                RemoteHubOptions.defaults().backoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.5));
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        hub.status().subscribe(statuses::add);
        Channels channels = Channels.create(hub, "shop");
        List<ConnectionStatus> channelStatuses = new CopyOnWriteArrayList<>();
        channels.status().subscribe(channelStatuses::add);
        hub.connected().block(WAIT);

        List<String> exact = new CopyOnWriteArrayList<>();
        List<String> wildcard = new CopyOnWriteArrayList<>();
        Disposable a = hub.<String>subscribe("r.a").subscribe(m -> exact.add(m.payload()));
        Disposable b = hub.<String>subscribe("r.*").subscribe(m -> wildcard.add(m.key() + "=" + m.payload()));
        awaitBroker("r.a", 1);
        awaitBroker("r.*", 1);
        brokerHub.publish("r.a", "before");
        Await.until(WAIT, () -> exact.size() == 1 && wildcard.size() == 1, () -> "delivered before the restart");

        server.disposeNow(WAIT);
        awaitBroker("r.a", 0); // the broker released the connection's subscriptions
        Await.until(WAIT, () -> hub.currentStatus() != ConnectionStatus.CONNECTED, () -> "client saw the loss");
        assertThat(hub.publish("r.a", "lost")).isIn(PublishResult.DISCONNECTED, PublishResult.SENT);
        Await.until(WAIT, () -> hub.publish("r.a", "lost") == PublishResult.DISCONNECTED,
                () -> "publishes rejected while disconnected");

        server = bind(port);
        hub.connected().block(WAIT);
        awaitBroker("r.a", 1);
        awaitBroker("r.*", 1);
        List<HubEvent> changes = new CopyOnWriteArrayList<>();
        Disposable events = brokerHub.events().subscribe(changes::add);
        brokerHub.publish("r.a", "after");
        Await.until(WAIT, () -> exact.size() == 2 && wildcard.size() == 2, () -> "delivered after the restart");
        assertThat(exact).containsExactly("before", "after"); // once each: no duplicate subscription
        assertThat(wildcard).containsExactly("r.a=before", "r.a=after");
        assertThat(brokerHub.subscriberCount(Key.parse("r.a"))).isEqualTo(1);
        assertThat(brokerHub.subscriberCount(Key.parse("r.*"))).isEqualTo(1);
        assertThat(changes).as("no subscriber change after the resubscription").isEmpty();
        events.dispose();

        // statuses: connecting, connected, then the loss, attempts with back-off, connected again. The status Flux
        // replays the latest status only: a connection made before the test subscribed shows as CONNECTED first.
        if (statuses.get(0) != ConnectionStatus.CONNECTING) {
            statuses.add(0, ConnectionStatus.CONNECTING);
        }
        assertThat(statuses.get(1)).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(statuses.get(2)).isEqualTo(ConnectionStatus.DISCONNECTED);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(ConnectionStatus.CONNECTED);
        for (int i = 3; i < statuses.size() - 1; i += 2) {
            assertThat(statuses.subList(i, i + 2)).as("statuses %s", statuses)
                    .isIn(List.of(ConnectionStatus.RECONNECTING, ConnectionStatus.DISCONNECTED),
                            List.of(ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED));
        }
        // Channels over the remote hub report its status (from the current one when they subscribed)
        assertThat(channelStatuses).contains(ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECTING)
                .isEqualTo(statuses.subList(statuses.size() - channelStatuses.size(), statuses.size()));

        a.dispose();
        b.dispose();
        awaitBroker("r.a", 0);
        hub.close();
        Await.until(WAIT, () -> channelStatuses.get(channelStatuses.size() - 1) == ConnectionStatus.CLOSED,
                () -> "channels saw CLOSED: " + channelStatuses);
    }

    @Test
    void subscribingWhileDisconnectedSubscribesOnceConnected() {
        server = bind(0);
        int port = server.port();
        server.disposeNow(WAIT);
        hub = RemoteHub.create("127.0.0.1", port, Codecs.utf8(),
                RemoteHubOptions.defaults().backoff(Duration.ofMillis(20), Duration.ofMillis(100), 0.2));
        List<Message<String>> got = new CopyOnWriteArrayList<>();
        hub.<String>subscribe("w.k").subscribe(got::add);
        assertThat(hub.publish("w.k", "nobody")).isEqualTo(PublishResult.DISCONNECTED);
        server = bind(port);
        hub.connected().block(WAIT);
        awaitBroker("w.k", 1);
        assertThat(hub.publish("w.k", "hello")).isEqualTo(PublishResult.SENT);
        Await.until(WAIT, () -> got.size() == 1, () -> "message after the late connection");
        assertThat(got.get(0)).isEqualTo(new Message<>(Key.parse("w.k"), "hello"));
    }

    private void awaitBroker(String topic, int count) {
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse(topic)) == count,
                () -> "broker subscriberCount(" + topic + ") == " + count);
    }
}
