package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TckVerification;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.tcp.NettyLeakCheck;
import io.github.reactivepubsub.tcp.ReactorLogCapture;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams TCK against {@code RemoteHub.subscribe(...)} Fluxes, the hub connected (TestNG, run on the
 * JUnit Platform by testng-engine). Each TCK publisher gets its own broker (hub and server) and remote hub: the
 * elements are published once the broker sees the subscription (they wait in its buffer, sized to hold them, until
 * the TCK's demand becomes credit), then the broker's hub is closed, which ends the subscription with
 * SUBSCRIPTION_END COMPLETED after the last element. The failed publisher is a subscription the broker's limits
 * refuse (a pattern over its maximum length).
 */
public class RemoteHubTckTest extends TckVerification<Message<String>> {

    static {
        // TestNG runs before the Jupiter engine registers this module's extensions: install log capture and Netty's
        // recording leak detector before the first logger and buffer exist, or no later test could use them
        new ReactorLogCapture();
        new NettyLeakCheck();
    }

    private static final Key TOPIC = Key.parse("tck.remote");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final boolean waitForConnection;

    public RemoteHubTckTest() {
        this(true);
    }

    RemoteHubTckTest(boolean waitForConnection) {
        super(Medium.NETWORK, 1_024);
        this.waitForConnection = waitForConnection;
    }

    @BeforeClass
    public void noResources() {
        resources.clear();
    }

    @AfterClass
    public void releaseEverything() throws Exception {
        for (AutoCloseable c : resources) {
            c.close();
        }
    }

    @Override
    public Publisher<Message<String>> createPublisher(long elements) {
        int size = (int) Math.max(1, elements);
        return subscriber -> {
            Hub broker = Hub.create();
            RemoteHub remote = remoteOf(broker, PubSubServerOptions.defaults());
            remote.<String>subscribe(TOPIC, SubscribeOptions.defaults().bufferSize(size)).subscribe(subscriber);
            // publish once the broker has the subscription, then complete it by closing the broker's hub
            Mono.fromRunnable(() -> {
                Await.atMost(WAIT, () -> broker.subscriberCount(TOPIC) > 0); // a cancelled subscriber never arrives
                for (long i = 0; i < elements; i++) {
                    broker.publish(TOPIC, Long.toString(i));
                }
                broker.close();
            }).subscribeOn(Schedulers.boundedElastic()).subscribe();
        };
    }

    /**
     * A subscription the broker's limits refuse: its pattern is longer than the broker allows, so the hub fails it
     * with PATTERN_TOO_LONG once connected, without demand.
     */
    @Override
    public Publisher<Message<String>> createFailedPublisher() {
        return subscriber -> remoteOf(Hub.create(), PubSubServerOptions.defaults().maxPatternLength(8))
                .<String>subscribe(Key.parse("a.pattern.longer.than.eight.bytes")).subscribe(subscriber);
    }

    /** A broker over {@code broker} and a remote hub of it (connected when this class waits for it), closed last. */
    private RemoteHub remoteOf(Hub broker, PubSubServerOptions options) {
        PubSubServer server = PubSubServer.bind(broker, Codecs.utf8(), options, "127.0.0.1", 0).block(WAIT);
        RemoteHub remote = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), RemoteHubOptions.defaults());
        resources.add(remote);
        resources.add(() -> server.disposeNow(WAIT));
        resources.add(broker);
        if (waitForConnection) {
            remote.connected().block(WAIT);
        }
        return remote;
    }
}
