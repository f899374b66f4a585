package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TckVerification;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.reactivestreams.Publisher;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams TCK against {@code RedisHub.subscribe(...)} Fluxes, on a real {@code redis-server} (TestNG,
 * run on the JUnit Platform by testng-engine). Each TCK publisher is a subscription of a hub of its own: once Redis
 * confirmed the subscription, the hub publishes the elements through Redis to itself; once they are all in the
 * subscriber's buffer (sized to hold them), the hub is closed, which completes the Flux after them (the {@code Hub}
 * contract). No failed publisher: a subscription fails only on a connection or decoding fault, which the TCK cannot
 * provoke without demand.
 */
public class RedisHubTckTest extends TckVerification<Message<String>> {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RedisServer redis = RedisServer.standalone();
    private final AtomicInteger topics = new AtomicInteger();
    private final List<RedisHub> hubs = new CopyOnWriteArrayList<>();

    public RedisHubTckTest() {
        super(Medium.NETWORK, 1_024);
    }

    @BeforeClass
    public void startRedis() throws IOException {
        redis.start();
    }

    @AfterClass
    public void stopRedis() {
        hubs.forEach(RedisHub::close);
        redis.stop();
    }

    @Override
    public Publisher<Message<String>> createPublisher(long elements) {
        Key topic = Key.parse("tck.t" + topics.incrementAndGet());
        return subscriber -> {
            RedisHub hub = RedisHub.create(redis.uri(), Codecs.utf8(), RedisHubOptions.defaults());
            hubs.add(hub);
            hub.<String>subscribe(topic, SubscribeOptions.defaults().bufferSize((int) Math.max(1, elements)))
                    .subscribe(subscriber);
            Mono.fromRunnable(() -> publishThenClose(hub, topic, elements))
                    .subscribeOn(Schedulers.boundedElastic()).subscribe();
        };
    }

    /** Bounded waits (a cancelled subscriber never gets everything: the deadline then closes the hub). */
    private static void publishThenClose(RedisHub hub, Key topic, long elements) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Await.atMost(WAIT, () -> hub.subscriberCount(topic) > 0);
        for (long i = 0; i < elements && System.nanoTime() < deadline; ) {
            PublishResult result = hub.publish(topic, Long.toString(i));
            if (result.status() == PublishResult.Status.SENT) {
                i++;
            } else if (result.status() != PublishResult.Status.CLOSED) {
                // BACK_PRESSURED (the in-flight window is full), or DISCONNECTED (the connection was lost: a
                // subscriber counts only on a connection ready for publishes, so not before): try again
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            } else {
                break; // the subscriber cancelled and the test closed the hub
            }
        }
        Await.atMost(WAIT, () -> hub.stats().delivered() >= elements || hub.subscriberCount(topic) == 0);
        hub.close();
    }

    @Override
    public Publisher<Message<String>> createFailedPublisher() {
        return null;
    }
}
