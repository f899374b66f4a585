package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * The {@link HubContract} on a {@link RedisHub} connected to a real {@code redis-server}.
 *
 * <p>One contract test is overridden, with the same assertions: {@code dropOldest...} requests right after publishing,
 * which assumes the messages are in the subscriber's buffer when {@code publish} returns. They travel through Redis
 * here, so the override first waits (bounded polling) until the three oldest were dropped, which the subscriber's
 * {@code onDrop} listener tells (the remote hub cannot: its drops happen at the broker).
 */
class RedisHubContractTest implements HubContract {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    private static final AtomicInteger TESTS = new AtomicInteger();

    private RedisHub hub;

    @BeforeEach
    void connect() {
        hub = RedisHub.create(REDIS.uri(), Codecs.utf8(),
                RedisHubOptions.defaults().namespace("contract" + TESTS.incrementAndGet() + ":"));
        hub.connected().block(WAIT);
    }

    @AfterEach
    void close() {
        hub.close();
        hub.status().blockLast(WAIT);
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

    @Override
    public Hub hub() {
        return hub;
    }
}
