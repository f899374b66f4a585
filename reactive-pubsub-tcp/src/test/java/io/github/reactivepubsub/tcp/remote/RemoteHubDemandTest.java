package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * Reactive Streams §3.17 for {@link RemoteHub}: no {@code request(n)} does work proportional to {@code n}; demand
 * that no longer fits one CREDIT frame becomes unbounded credit, and the connection is never dropped for it.
 */
class RemoteHubDemandTest {

    private static final Duration WAIT = HubContract.WAIT;

    private LoopbackBroker broker;
    private Hub brokerHub;
    private RemoteHub hub;
    private final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() {
        broker = new LoopbackBroker(RemoteHubOptions.defaults().backoff(Duration.ofMillis(20), Duration.ofMillis(200),
                0.5));
        brokerHub = broker.brokerHub();
        hub = broker.client();
        hub.status().subscribe(statuses::add);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    /** Requests the given amounts on subscription, each from its own call, and collects payloads. */
    private static final class Requesting extends BaseSubscriber<Message<String>> {
        final List<String> received = new CopyOnWriteArrayList<>();
        private final long[] requests;

        Requesting(long... requests) {
            this.requests = requests;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            for (long n : requests) {
                request(n);
            }
        }

        @Override
        protected void hookOnNext(Message<String> value) {
            received.add(value.payload());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE / 2, 1L << 32, 0xFFFF_FFFFL, Long.MAX_VALUE - 1})
    void hugeDemandIsOneUnboundedCreditAndEveryMessageArrives(long demand) {
        Requesting subscriber = new Requesting(demand);
        // a buffer for the whole burst: publishing 1,000 at once must not overflow at the broker
        hub.<String>subscribe(Key.parse("d.k"), SubscribeOptions.defaults().bufferSize(4_096)).subscribe(subscriber);
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("d.k")) == 1, () -> "subscribed at the broker");
        for (int i = 0; i < 1_000; i++) {
            brokerHub.publish("d.k", "m" + i);
        }
        Await.until(WAIT, () -> subscriber.received.size() == 1_000, () -> "all messages, got "
                + subscriber.received.size());
        assertThat(statuses).doesNotContain(ConnectionStatus.DISCONNECTED);
        subscriber.dispose();
    }

    @Test
    void demandAddingUpBeyondOneFrameBecomesUnboundedWithoutManyFrames() {
        // 70,000 requests of 2^31 - 1: more than a CREDIT frame can carry in total, each one O(1)
        long[] requests = new long[70_000];
        java.util.Arrays.fill(requests, Integer.MAX_VALUE);
        Requesting subscriber = new Requesting(requests);
        hub.<String>subscribe("d.many").subscribe(subscriber);
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("d.many")) == 1, () -> "subscribed");
        for (int i = 0; i < 100; i++) {
            brokerHub.publish("d.many", "m" + i);
        }
        Await.until(WAIT, () -> subscriber.received.size() == 100, () -> "all messages");
        assertThat(statuses).doesNotContain(ConnectionStatus.DISCONNECTED);
        subscriber.dispose();
    }

    @Test
    void hugeDemandBeforeTheConnectionIsResentAsOneFrameOnReconnect() {
        Requesting subscriber = new Requesting(Long.MAX_VALUE / 2);
        hub.<String>subscribe("d.re").subscribe(subscriber);
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("d.re")) == 1, () -> "subscribed");
        broker.restartServer();
        hub.connected().block(WAIT);
        Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("d.re")) == 1, () -> "resubscribed");
        brokerHub.publish("d.re", "after");
        Await.until(WAIT, () -> subscriber.received.contains("after"), () -> "delivered after the reconnect");
        subscriber.dispose();
    }
}
