package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.session.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A remote subscriber whose {@code onNext} throws (a plain Reactive Streams subscriber, with no lambda wrapper to catch
 * it) is cancelled and told alone: the connection and the other subscribers go on. And no subscriber code runs under a
 * lock of ours: while {@code onNext} runs, the subscription's monitor is free.
 */
class RemoteSubscriberIsolationTest {

    private final LoopbackBroker broker = new LoopbackBroker();

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aThrowingSubscriberIsCancelledAloneAndNoSignalComesUnderOurLock() {
        RemoteHub hub = broker.client();
        List<String> others = new CopyOnWriteArrayList<>();
        List<Boolean> lockHeld = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> told = new AtomicReference<>();
        hub.<String>subscribe("iso.k").subscribe(m -> others.add(m.payload()));
        hub.<String>subscribe(Key.parse("iso.k")).subscribe(new CoreSubscriber<Message<String>>() {
            private Subscription subscription;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Message<String> m) {
                lockHeld.add(Thread.holdsLock(subscription));
                if (m.payload().equals("2")) {
                    throw new IllegalStateException("boom on 2");
                }
            }

            @Override
            public void onError(Throwable t) {
                lockHeld.add(Thread.holdsLock(subscription));
                told.set(t);
            }

            @Override
            public void onComplete() {
            }
        });
        Await.until(HubContract.WAIT, () -> hub.subscriberCount(Key.parse("iso.k")) == 2,
                () -> "two subscribers, " + hub.subscriberCount(Key.parse("iso.k")));

        for (int i = 1; i <= 3; i++) {
            assertThat(hub.publish("iso.k", Integer.toString(i)).isAccepted()).isTrue();
        }
        Await.until(HubContract.WAIT, () -> others.size() == 3 && told.get() != null,
                () -> "others got " + others + ", the thrower was told " + told.get());
        assertThat(told.get()).hasMessage("boom on 2");
        assertThat(lockHeld).containsOnly(false).hasSize(3); // "1", "2", then onError
        Await.until(HubContract.WAIT, () -> hub.subscriberCount(Key.parse("iso.k")) == 1,
                () -> "the thrower left, " + hub.subscriberCount(Key.parse("iso.k")));
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(hub.publish("iso.k", "4").isAccepted()).isTrue();
        Await.until(HubContract.WAIT, () -> others.size() == 4, () -> "others got " + others);
    }
}
