package io.github.reactivepubsub.benchmarks;

import com.google.common.eventbus.EventBus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.PublishResult;
import io.reactivex.rxjava3.subjects.PublishSubject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Sinks;

/**
 * One publishing thread, one topic, {@code subscribers} subscribers of exactly that topic (1 → 1 and 1 → 100):
 * the hub beside the in-process peers it is built on or competes with.
 *
 * <ul>
 *   <li>{@code hub}: {@code hub.publish(key, payload)}, subscribers with the default {@code SubscribeOptions}
 *       (bounded buffer of 256, {@code ERROR}) requesting unbounded ({@code Flux.subscribe(Consumer)});</li>
 *   <li>{@code unsafeSink}: {@code Sinks.unsafe().many().multicast().directBestEffort()}, {@code tryEmitNext}
 *       (what each hub topic emits into; not thread-safe);</li>
 *   <li>{@code safeSink}: {@code Sinks.many().multicast().directBestEffort()}, {@code tryEmitNext} (serialized,
 *       fails fast with {@code FAIL_NON_SERIALIZED} under contention);</li>
 *   <li>{@code rxPublishSubject}: RxJava 3 {@code PublishSubject.onNext};</li>
 *   <li>{@code guavaEventBus}: Guava {@code EventBus.post} to {@code @Subscribe @AllowConcurrentEvents} listeners
 *       (direct executor, its default).</li>
 * </ul>
 *
 * Every peer publishes the same {@link Payload#INSTANCE}; every subscriber is a {@link Receiver} (count +
 * {@link Blackhole#consume(Object)}); the hub's receivers take {@code message.payload()}. One operation = one
 * publish, delivered to every subscriber.
 */
public class FanOutBenchmark extends InProcessBenchmark {

    private static final Payload PAYLOAD = Payload.INSTANCE;

    /** Subscribers of the one topic. */
    @Param({"1", "100"})
    public int subscribers;

    private final Key key = Key.of("bench", "fanout", "topic");
    private Hub hub;
    /** The same hub with its counting switched on ({@code Hub.stats()}), as when a metrics binder is attached. */
    private Hub countingHub;
    private Sinks.Many<Payload> unsafeSink;
    private Sinks.Many<Payload> safeSink;
    private PublishSubject<Payload> subject;
    private EventBus eventBus;
    private Subscriptions subscriptions;

    /** @param blackhole the sink of every receiver */
    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        subscriptions = new Subscriptions(blackhole);
        hub = Hub.create();
        countingHub = Hub.create();
        countingHub.stats();
        unsafeSink = Sinks.unsafe().many().multicast().directBestEffort();
        safeSink = Sinks.many().multicast().directBestEffort();
        subject = PublishSubject.create();
        eventBus = new EventBus("fan-out");
        for (int i = 0; i < subscribers; i++) {
            Receiver h = subscriptions.receiver("hub");
            subscriptions.onUnsubscribe(hub.<Payload>subscribe(key).subscribe(m -> h.accept(m.payload()))::dispose);
            Receiver c = subscriptions.receiver("hubCounting");
            subscriptions.onUnsubscribe(countingHub.<Payload>subscribe(key).subscribe(m -> c.accept(m.payload()))
                    ::dispose);
            Receiver u = subscriptions.receiver("unsafeSink");
            subscriptions.onUnsubscribe(unsafeSink.asFlux().subscribe(u::accept)::dispose);
            Receiver s = subscriptions.receiver("safeSink");
            subscriptions.onUnsubscribe(safeSink.asFlux().subscribe(s::accept)::dispose);
            Receiver rx = subscriptions.receiver("rxPublishSubject");
            subscriptions.onUnsubscribe(subject.subscribe(rx::accept)::dispose);
            Receiver g = subscriptions.receiver("guavaEventBus");
            eventBus.register(g);
            subscriptions.onUnsubscribe(() -> eventBus.unregister(g));
        }
        subscriptions.onUnsubscribe(hub::close);
        subscriptions.onUnsubscribe(countingHub::close);
        int counted = hub.subscriberCount(key);
        if (counted != subscribers) {
            throw new IllegalStateException("hub counts " + counted + " subscribers, expected " + subscribers);
        }
    }

    /** Checks that the exercised peer delivered to every subscriber equally; unsubscribes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        subscriptions.checkFanOutAndUnsubscribeAll();
    }

    /** @return the hub's publish result */
    @Benchmark
    public PublishResult hub() {
        return hub.publish(key, PAYLOAD);
    }

    /** @return the counting hub's publish result (counting: publish outcome and deliveries in striped counters) */
    @Benchmark
    public PublishResult hubCounting() {
        return countingHub.publish(key, PAYLOAD);
    }

    /** @return the unsafe sink's emit result */
    @Benchmark
    public Sinks.EmitResult unsafeSink() {
        return unsafeSink.tryEmitNext(PAYLOAD);
    }

    /** @return the safe sink's emit result */
    @Benchmark
    public Sinks.EmitResult safeSink() {
        return safeSink.tryEmitNext(PAYLOAD);
    }

    /** Publishes through RxJava's {@code PublishSubject}. */
    @Benchmark
    public void rxPublishSubject() {
        subject.onNext(PAYLOAD);
    }

    /** Publishes through Guava's {@code EventBus}. */
    @Benchmark
    public void guavaEventBus() {
        eventBus.post(PAYLOAD);
    }
}
