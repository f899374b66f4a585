package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.facade.FacadeContract;
import io.github.reactivepubsub.session.Await;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The {@link HubContract} and the {@link FacadeContract} as a {@link RedisHub} keeps them, on one server
 * ({@code RedisHubContractTest}) and on a cluster ({@code RedisClusterHubTest}).
 *
 * <p>One contract test is overridden, with the same assertions: {@code dropOldest...} requests right after publishing,
 * which assumes the messages are in the subscriber's buffer when {@code publish} returns. They travel through Redis
 * here, so the override first waits (bounded polling) until the three oldest were dropped, which the subscriber's
 * {@code onDrop} listener tells (the remote hub cannot: its drops happen at the broker).
 *
 * <p>Each test gets a hub of its own from {@link #createHub()}, connected before the test and closed after it.
 */
abstract class RedisHubContract implements HubContract, FacadeContract {

    private RedisHub hub;

    /** @return a new hub on the test's server, in a namespace no other test uses */
    abstract RedisHub createHub();

    @BeforeEach
    void connect() {
        hub = createHub();
        hub.connected().block(WAIT);
    }

    @AfterEach
    void close() {
        hub.close();
        hub.status().blockLast(WAIT);
    }

    @Override
    public RedisHub hub() {
        return hub;
    }

    @Override
    @Test
    public void dropOldestKeepsTheLatestMessagesWhileTheSubscriberDoesNotRequest() {
        AtomicInteger dropped = new AtomicInteger();
        StepVerifier.create(hub.<String>subscribe(Key.parse("c8.k"),
                        SubscribeOptions.defaults().bufferSize(3).overflow(Overflow.DROP_OLDEST)
                                .onDrop(m -> dropped.incrementAndGet()))
                        .map(Message::payload), 0)
                .expectSubscription()
                .then(() -> {
                    Await.until(WAIT, () -> hub.subscriberCount(Key.parse("c8.k")) == 1, () -> "subscribed");
                    for (int i = 1; i <= 6; i++) {
                        hub.publish("c8.k", "m" + i);
                    }
                    Await.until(WAIT, () -> dropped.get() == 3, () -> "3 dropped, are " + dropped.get());
                })
                .thenRequest(3)
                .expectNext("m4", "m5", "m6")
                .thenCancel()
                .verify(WAIT);
    }
}
