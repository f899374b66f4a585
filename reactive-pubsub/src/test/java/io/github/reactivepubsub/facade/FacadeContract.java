package io.github.reactivepubsub.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.session.Await;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * What the facades (dask's Pub/Sub, pulsar's Channels) must do the same way on every {@link Hub}: the same test
 * methods run on the in-process hub ({@code LocalFacadeContractTest}) and on the remote hub
 * ({@code RemoteHubContractTest} in the TCP module, beside the hub contract). Payloads are strings; a remote hub learns of subscribers
 * through its broker, so observations wait with {@link Await#until} (bounded polling), never with sleeps.
 */
public interface FacadeContract {

    /** @return this test's hub, ready to use (connected, for a remote one) */
    Hub hub();

    @Test
    default void aSubGetsWhatAPubPutsInOrderAndThePubCountsItsSubscribers() throws Exception {
        Pub<String> pub = Pub.create(hub(), "f1.room");
        try (Sub<String> sub = Sub.create(hub(), "f1.room")) {
            Await.until(HubContract.WAIT, () -> pub.subscribers() == 1, () -> "pub.subscribers() is "
                    + pub.subscribers());
            assertThat(pub.put("a").isAccepted()).isTrue();
            assertThat(pub.put("b").isAccepted()).isTrue();

            assertThat(sub.get(HubContract.WAIT)).isEqualTo("a");
            StepVerifier.create(sub.next()).expectNext("b").expectComplete().verify(HubContract.WAIT);
        }
        Await.until(HubContract.WAIT, () -> pub.subscribers() == 0, () -> "after close, pub.subscribers() is "
                + pub.subscribers());
    }

    @Test
    default void aSubIsIterableAndAFluxUntilClosed() {
        Pub<String> pub = Pub.create(hub(), "f2.room");
        Sub<String> sub = Sub.create(hub(), "f2.room");
        Await.until(HubContract.WAIT, () -> pub.subscribers() == 1, () -> "pub.subscribers() is " + pub.subscribers());
        pub.put("1");
        pub.put("2");
        pub.put("3");

        Iterator<String> blocking = sub.iterator();
        assertThat(blocking.next()).isEqualTo("1");
        StepVerifier.create(sub.asFlux().take(2)).expectNext("2", "3").expectComplete().verify(HubContract.WAIT);
        sub.close();
        assertThat(blocking.hasNext()).as("a closed Sub's iterator ends").isFalse();
        StepVerifier.create(sub.asFlux()).expectComplete().verify(HubContract.WAIT);
    }

    @Test
    default void channelsCallHandlersForEventsByNameAndPatternAndCountThem() {
        Channels channels = Channels.create(hub(), "f3");
        List<String> exact = new CopyOnWriteArrayList<>();
        List<String> created = new CopyOnWriteArrayList<>();
        Disposable one = channels.register("orders", "cancelled", (event, data) -> exact.add(event + "=" + data));
        Disposable many = channels.register("orders", "created*", (event, data) -> created.add(event + "=" + data));
        Await.until(HubContract.WAIT, () -> channels.count("orders", "other").equals(Map.of("orders", 2, "other", 0)),
                () -> "count(orders, other) is " + channels.count("orders", "other"));
        assertThat(channels.channels("ord*")).containsExactly("orders");

        channels.publish("orders", "created", "1");
        channels.publish("orders", "createdExpress", "2");
        channels.publish("orders", "cancelled", "3");
        channels.publish("orders", "shipped", "4");
        Await.until(HubContract.WAIT, () -> created.size() == 2 && exact.size() == 1,
                () -> "created " + created + ", cancelled " + exact);
        assertThat(created).containsExactly("created=1", "createdExpress=2");
        assertThat(exact).containsExactly("cancelled=3");

        one.dispose();
        many.dispose();
        Await.until(HubContract.WAIT, () -> channels.count("orders").equals(Map.of("orders", 0)),
                () -> "after disposal, count(orders) is " + channels.count("orders"));
        assertThat(channels.channels("*")).isEmpty();
    }

    @Test
    default void channelsStatusFollowsTheHub() {
        Channels channels = Channels.create(hub(), "f4");
        StepVerifier.create(channels.status().take(1)).expectNext(ConnectionStatus.CONNECTED).expectComplete()
                .verify(HubContract.WAIT);
    }
}
