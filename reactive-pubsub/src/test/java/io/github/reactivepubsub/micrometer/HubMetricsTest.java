package io.github.reactivepubsub.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/** {@link HubMetrics} on the in-process hub, read through a {@link SimpleMeterRegistry}. */
class HubMetricsTest {

    private final Hub hub = Hub.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        hub.close();
        registry.close();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags("hub", "test").tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("hub", "test").tags(tags).gauge().value();
    }

    /** A subscriber that requests nothing: everything published to it stays in (or overflows) its buffer. */
    private static BaseSubscriber<Message<Object>> stalled() {
        return new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // no request
            }
        };
    }

    @Test
    void publishesAreCountedByOutcomeAndDeliveriesPerSubscriber() {
        HubMetrics.of(hub).name("test").bindTo(registry);
        Disposable a = hub.subscribe("md.tick").subscribe();
        Disposable b = hub.subscribe("md.*").subscribe();

        for (int i = 0; i < 5; i++) {
            hub.publish("md.tick", i);
        }
        hub.publish("other", 0);
        a.dispose();
        b.dispose();
        hub.close();
        hub.publish("md.tick", 0);

        assertThat(counter("reactive.pubsub.hub.published", "result", "delivered")).isEqualTo(5);
        assertThat(counter("reactive.pubsub.hub.published", "result", "no_subscribers")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.hub.published", "result", "closed")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.hub.published", "result", "sent")).isZero();
        assertThat(registry.get("reactive.pubsub.hub.published").functionCounters()).hasSize(6);
        assertThat(counter("reactive.pubsub.hub.delivered")).as("5 messages x 2 subscribers").isEqualTo(10);
    }

    @Test
    void dropsAreCountedByOverflowPolicyAndTheFullestBufferIsReported() {
        HubMetrics.of(hub).name("test").bindTo(registry);
        BaseSubscriber<Message<Object>> oldest = stalled();
        BaseSubscriber<Message<Object>> latest = stalled();
        hub.subscribe(Key.parse("md.tick"), SubscribeOptions.defaults().bufferSize(4).overflow(Overflow.DROP_OLDEST))
                .subscribe(oldest);
        hub.subscribe(Key.parse("md.*"), SubscribeOptions.defaults().bufferSize(8).overflow(Overflow.DROP_LATEST))
                .subscribe(latest);

        hub.publish("md.tick", 1);
        assertThat(gauge("reactive.pubsub.hub.buffer.fill.max")).isEqualTo(0.25);
        for (int i = 2; i <= 10; i++) {
            hub.publish("md.tick", i);
        }

        assertThat(counter("reactive.pubsub.hub.dropped", "overflow", "drop_oldest")).isEqualTo(6);
        assertThat(counter("reactive.pubsub.hub.dropped", "overflow", "drop_latest")).isEqualTo(2);
        assertThat(counter("reactive.pubsub.hub.dropped", "overflow", "error")).isZero();
        assertThat(gauge("reactive.pubsub.hub.buffer.fill.max")).isEqualTo(1.0);
        assertThat(gauge("reactive.pubsub.hub.subscribers")).isEqualTo(2);
        assertThat(gauge("reactive.pubsub.hub.topics")).isEqualTo(2);

        oldest.request(4);
        latest.request(8);
        assertThat(gauge("reactive.pubsub.hub.buffer.fill.max")).as("drained").isZero();
        oldest.dispose();
        latest.dispose();
        assertThat(gauge("reactive.pubsub.hub.subscribers")).isZero();
        assertThat(gauge("reactive.pubsub.hub.topics")).isZero();
    }

    @Test
    void anOverflowErrorCountsTheMessageThatOverflowed() {
        HubMetrics.of(hub).name("test").bindTo(registry);
        StepVerifier.create(hub.subscribe(Key.parse("k"), SubscribeOptions.defaults().bufferSize(1)), 0)
                .then(() -> {
                    hub.publish("k", 1);
                    hub.publish("k", 2);
                })
                .expectError()
                .verify();
        assertThat(counter("reactive.pubsub.hub.dropped", "overflow", "error")).isEqualTo(1);
    }

    @Test
    void onlyTheAllowListedTopicsGetMetersOfTheirOwn() {
        HubMetrics.of(hub).name("test").topics(List.of(Key.parse("md.*"))).bindTo(registry);
        BaseSubscriber<Message<Object>> slow = stalled();
        hub.subscribe(Key.parse("md.*"), SubscribeOptions.defaults().bufferSize(2).overflow(Overflow.DROP_OLDEST))
                .subscribe(slow);
        Disposable fast = hub.subscribe("md.*").subscribe();
        for (int i = 0; i < 1_000; i++) {
            hub.subscribe("k" + i).subscribe().dispose();
            hub.publish("md.s" + i, i); // 1,000 different keys
        }

        assertThat(registry.find("reactive.pubsub.topic.delivered").meters())
                .extracting(m -> m.getId().getTag("topic")).containsExactly("md.*");
        assertThat(registry.getMeters()).as("no meter per key or per topic outside the allow-list")
                .allSatisfy(m -> assertThat(m.getId().getTag("topic")).isIn(null, "md.*"));
        assertThat(counter("reactive.pubsub.topic.delivered", "topic", "md.*")).isEqualTo(2_000);
        assertThat(counter("reactive.pubsub.topic.dropped", "topic", "md.*", "overflow", "drop_oldest"))
                .isEqualTo(998);
        assertThat(gauge("reactive.pubsub.topic.subscribers", "topic", "md.*")).isEqualTo(2);
        assertThat(gauge("reactive.pubsub.topic.buffer.fill.max", "topic", "md.*")).isEqualTo(1.0);
        slow.dispose();
        fast.dispose();
    }

    @Test
    void aTrackedTopicCountsOnAcrossItsComingsAndGoings() {
        HubMetrics.of(hub).name("test").topics(List.of(Key.parse("a"))).bindTo(registry);
        for (int round = 0; round < 3; round++) {
            Disposable s = hub.subscribe("a").subscribe();
            hub.publish("a", round);
            s.dispose();
        }
        Disposable declared = hub.declare(Key.parse("a"), TopicOptions.defaults().replay(1));
        Disposable s = hub.subscribe("a").subscribe();
        hub.publish("a", 3);
        assertThat(counter("reactive.pubsub.topic.delivered", "topic", "a")).isEqualTo(4);
        assertThat(gauge("reactive.pubsub.topic.buffer.fill.max", "topic", "a")).isZero();
        s.dispose();
        declared.dispose();
    }

    @Test
    void countingStartsWhenStatsAreFirstAskedForAndExtraTagsGoOnEveryMeter() {
        Disposable s = hub.subscribe("k").subscribe();
        hub.publish("k", "before");
        HubMetrics.of(hub).name("test").tags(Tags.of("app", "demo")).bindTo(registry);
        hub.publish("k", "after");

        assertThat(counter("reactive.pubsub.hub.delivered")).isEqualTo(1);
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTag("app"))
                .isEqualTo("demo"));
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
                .allMatch(name -> name.startsWith("reactive.pubsub."));
        assertThat(hub.stats()).as("one stats object per hub").isSameAs(hub.stats());
        s.dispose();
    }

    /**
     * A hub written by a user: its methods forwarded to {@code delegate}, except the interface's defaults, so its
     * {@link Hub#stats()} is {@code Hub}'s default (a new object per call, which only the caller holds).
     */
    private static Hub userHub(Hub delegate) {
        InvocationHandler forward = (proxy, method, args) -> method.isDefault()
                ? InvocationHandler.invokeDefault(proxy, method, args) : invoke(method, delegate, args);
        return (Hub) Proxy.newProxyInstance(Hub.class.getClassLoader(), new Class<?>[] {Hub.class}, forward);
    }

    private static Object invoke(Method method, Hub target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Runs the garbage collector until {@code collected} holds (at most 50 times). */
    private static boolean collectUntil(BooleanSupplier collected) throws InterruptedException {
        for (int i = 0; i < 50 && !collected.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(10);
        }
        return collected.getAsBoolean();
    }

    @Test
    void theMetersOfAUserWrittenHubKeepReadingWhileItLivesAfterItsStatsWereCollected() throws Exception {
        Hub user = userHub(hub);
        HubMetrics.of(user).name("test").topics(List.of(Key.parse("a"))).bindTo(registry);
        Disposable s = user.subscribe("a").subscribe();
        WeakReference<Object> canary = new WeakReference<>(new Object());

        assertThat(collectUntil(() -> canary.get() == null)).as("a collection ran").isTrue();

        assertThat(gauge("reactive.pubsub.hub.subscribers")).isEqualTo(1);
        assertThat(gauge("reactive.pubsub.hub.topics")).isEqualTo(1);
        assertThat(gauge("reactive.pubsub.topic.subscribers", "topic", "a")).isEqualTo(1);
        assertThat(counter("reactive.pubsub.hub.delivered")).as("a hub that does not count reads 0").isZero();
        s.dispose();
        Reference.reachabilityFence(user);
    }

    @Test
    void theMetersDoNotKeepTheHubAlive() throws Exception {
        WeakReference<Hub> gone = bindUserHub();

        assertThat(collectUntil(() -> gone.get() == null)).as("the hub was collected").isTrue();

        assertThat(gauge("reactive.pubsub.hub.topics")).isNaN();
        assertThat(gauge("reactive.pubsub.topic.subscribers", "topic", "a")).isNaN();
    }

    /** @return a user-written hub, bound and then dropped */
    private WeakReference<Hub> bindUserHub() {
        Hub user = userHub(hub);
        HubMetrics.of(user).name("test").topics(List.of(Key.parse("a"))).bindTo(registry);
        return new WeakReference<>(user);
    }
}
