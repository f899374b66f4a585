package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * "Messages are never silently lost": a publish reported as {@code SENT} just before {@link RemoteHub#close()} still
 * reaches the broker's subscribers, even while the broker is sending to that client (EVENT frames the client has not
 * read when it closes). Before the TCP transport closed gracefully, the client's close on a socket with unread bytes
 * was a reset (RST), and the broker lost the PUBLISH it had not read yet: about one round in three.
 */
class RemoteHubCloseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ROUNDS = 200;
    private static final int MAX_LOSSES_SHOWN = 5;

    private final Hub brokerHub = Hub.create();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private PubSubServer server;
    private Disposable subscriber;

    @BeforeEach
    void bind() {
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", 0)
                .block(WAIT);
        subscriber = brokerHub.<String>subscribe("close.k").subscribe(m -> received.add(m.payload()));
    }

    @AfterEach
    void close() {
        subscriber.dispose();
        server.disposeNow(WAIT);
        brokerHub.close();
    }

    @Test
    void aMessagePublishedRightBeforeCloseReachesTheBrokerWhileTheBrokerIsSendingToTheClient() {
        List<String> lost = new ArrayList<>();
        int round = 0;
        for (; round < ROUNDS && lost.size() < MAX_LOSSES_SHOWN; round++) {
            RemoteHub client = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), RemoteHubOptions.defaults());
            client.connected().block(WAIT);
            // Traffic from the broker to this client at the moment it closes: each subscriber change in the broker's
            // hub is an EVENT frame to every connected client.
            List<Disposable> noise = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                noise.add(brokerHub.subscribe(Key.parse("noise." + round + "." + i)).subscribe());
            }
            String payload = "m" + round;
            assertThat(client.publish(Key.parse("close.k"), payload)).isEqualTo(PublishResult.SENT);
            client.close();
            noise.forEach(Disposable::dispose);
            // The broker handles a connection's frames before it ends the connection: once no connection is left,
            // the message arrived or it never will.
            Await.until(WAIT, () -> received.contains(payload) || server.connections() == 0,
                    () -> "the message or the end of the client's connection at the broker, " + server);
            if (!received.contains(payload)) {
                lost.add(payload);
            }
        }
        assertThat(lost).as("messages SENT right before close() and lost, in %d rounds", round).isEmpty();
    }
}
