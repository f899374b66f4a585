package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * What every {@link Hub} must do the same way, in-process or remote: the same test methods run against each
 * implementation ({@code LocalHubContractTest} here, {@code RemoteHubContractTest} in the TCP module,
 * {@code RedisHubContractTest} and {@code RedisClusterHubTest} in the Redis module), none overridden.
 *
 * <p>Payloads are strings. A remote hub delivers asynchronously and learns of subscriber changes through its broker,
 * so observations go through {@link StepVerifier} with a timeout and {@link Await#until} (bounded polling), never
 * through sleeps. Where implementations legitimately differ (a local publish is {@code DELIVERED(n)}, a remote one
 * {@code SENT}), the contract asserts {@link PublishResult#isAccepted()}.
 *
 * <p>Every promise of the {@link Hub} Javadoc that holds for every hub is here; what only the in-process hub does
 * (exact {@code DELIVERED(n)} counts, aiopubsub's meta messages, the logged line of a throwing subscriber, its route
 * cache, delivery after close of what a stalled subscriber still buffers) stays in {@code HubTest}.
 *
 * <p>An implementing class provides a fresh, connected hub per test in {@link #hub()} and closes it afterwards.
 */
public interface HubContract {

    /** How long any single observation may take. */
    Duration WAIT = Duration.ofSeconds(10);

    /** @return this test's hub, ready to use (connected, for a remote one) */
    Hub hub();

    private void awaitSubscribers(String topic, int count) {
        Key key = Key.parse(topic);
        Await.until(WAIT, () -> hub().subscriberCount(key) == count,
                () -> "subscriberCount(" + topic + ") == " + count + ", is " + hub().subscriberCount(key));
    }

    @Test
    default void exactAndWildcardSubscribersReceiveTheConcreteKey() {
        Hub hub = hub();
        StepVerifier.Step<String> exact = StepVerifier.create(hub.<String>subscribe("c1.trade.IBM")
                .map(m -> m.key() + "=" + m.payload()).take(1));
        StepVerifier exactLater = exact.expectNext("c1.trade.IBM=1").expectComplete().verifyLater();
        StepVerifier wildcard = StepVerifier.create(hub.<String>subscribe("c1.*.IBM")
                        .map(m -> m.key() + "=" + m.payload()).take(2))
                .expectNext("c1.trade.IBM=1", "c1.book.IBM=2").expectComplete().verifyLater();
        StepVerifier deep = StepVerifier.create(hub.<String>subscribe("c1.**")
                        .map(m -> m.key() + "=" + m.payload()).take(3))
                .expectNext("c1.trade.IBM=1", "c1.book.IBM=2", "c1=3").expectComplete().verifyLater();
        awaitSubscribers("c1.trade.IBM", 1);
        awaitSubscribers("c1.*.IBM", 1);
        awaitSubscribers("c1.**", 1);

        assertThat(hub.publish("c1.trade.IBM", "1").isAccepted()).isTrue();
        assertThat(hub.publish("c1.book.IBM", "2").isAccepted()).isTrue();
        assertThat(hub.publish("c1", "3").isAccepted()).isTrue();
        exactLater.verify(WAIT);
        wildcard.verify(WAIT);
        deep.verify(WAIT);
    }

    @Test
    default void eachPublishersMessagesArriveInOrder() {
        Hub hub = hub();
        List<String> expected = IntStream.range(0, 2_000).mapToObj(Integer::toString).toList();
        StepVerifier all = StepVerifier.create(hub.<String>subscribe(Key.parse("c2.*"),
                        SubscribeOptions.defaults().bufferSize(4_096)).map(Message::payload).take(2_000))
                .expectNextSequence(expected).expectComplete().verifyLater();
        awaitSubscribers("c2.*", 1);
        for (String payload : expected) {
            assertThat(hub.publish("c2.seq", payload).isAccepted()).isTrue();
        }
        all.verify(WAIT);
    }

    @Test
    default void topicsAndSubscriberCountFollowSubscribersComingAndGoing() {
        Hub hub = hub();
        Disposable exact = hub.subscribe("c3.x").subscribe();
        Disposable second = hub.subscribe("c3.x").subscribe();
        Disposable pattern = hub.subscribe("c3.*").subscribe();
        awaitSubscribers("c3.x", 2);
        awaitSubscribers("c3.*", 1);
        assertThat(hub.topics(Key.parse("c3.**"))).extracting(Key::toString).containsExactly("c3.*", "c3.x");

        exact.dispose();
        awaitSubscribers("c3.x", 1);
        second.dispose();
        awaitSubscribers("c3.x", 0);
        Await.until(WAIT, () -> hub.topics(Key.parse("c3.**")).equals(List.of(Key.parse("c3.*"))),
                () -> "topics(c3.**) == [c3.*], are " + hub.topics(Key.parse("c3.**")));
        pattern.dispose();
        awaitSubscribers("c3.*", 0);
        Await.until(WAIT, () -> hub.topics(Key.parse("c3.**")).isEmpty(),
                () -> "no topic under c3, are " + hub.topics(Key.parse("c3.**")));
    }

    @Test
    default void eventsReportSubscribersJoiningAndLeaving() {
        Hub hub = hub();
        Key topic = Key.parse("c4.events");
        StepVerifier events = StepVerifier.create(hub.events().filter(e -> e.key().equals(topic)).take(2))
                .expectNext(new HubEvent.Added(topic, 1), new HubEvent.Removed(topic, 0))
                .expectComplete().verifyLater();
        Disposable subscriber = hub.subscribe(topic).subscribe();
        awaitSubscribers("c4.events", 1);
        subscriber.dispose();
        events.verify(WAIT);
    }

    @Test
    default void aPublishWithASubscriberIsAccepted() {
        Hub hub = hub();
        StepVerifier one = StepVerifier.create(hub.<String>subscribe("c5.k").map(Message::payload).take(1))
                .expectNext("v").expectComplete().verifyLater();
        awaitSubscribers("c5.k", 1);
        PublishResult result = hub.publish("c5.k", "v");
        assertThat(result.isAccepted()).as("result %s", result).isTrue();
        one.verify(WAIT);
    }

    @Test
    default void closeCompletesSubscribersAndRejectsLaterPublishes() {
        Hub hub = hub();
        StepVerifier status = StepVerifier.create(hub.status())
                .expectNext(ConnectionStatus.CONNECTED)
                .expectNext(ConnectionStatus.CLOSED)
                .expectComplete().verifyLater();
        StepVerifier.create(hub.<String>subscribe("c6.k").map(Message::payload))
                .then(() -> {
                    awaitSubscribers("c6.k", 1);
                    hub.publish("c6.k", "before");
                })
                .expectNext("before")
                .then(hub::close)
                .expectComplete()
                .verify(WAIT);

        assertThat(hub.isClosed()).isTrue();
        assertThat(hub.publish("c6.k", "after")).isEqualTo(PublishResult.CLOSED);
        StepVerifier.create(hub.subscribe("c6.k")).expectComplete().verify(WAIT);
        status.verify(WAIT);
        StepVerifier.create(hub.status()).expectNext(ConnectionStatus.CLOSED).expectComplete().verify(WAIT);
    }

    @Test
    default void aSubscriberThatDoesNotRequestOverflowsWithAnOverflowException() {
        Hub hub = hub();
        StepVerifier stalled = StepVerifier.create(hub.<String>subscribe(Key.parse("c7.k"),
                        SubscribeOptions.defaults().bufferSize(4).overflow(Overflow.ERROR)), 0)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OverflowException.class)
                        .hasMessageContaining("c7.k").hasMessageContaining("4 messages"))
                .verifyLater();
        awaitSubscribers("c7.k", 1);
        for (int i = 0; i < 10; i++) {
            hub.publish("c7.k", "m" + i); // the subscriber is gone after the 5th: later results may differ
        }
        stalled.verify(WAIT);
        awaitSubscribers("c7.k", 0);
    }

    /**
     * The drop listener tells every hub's DROP_OLDEST drops while the subscriber requests nothing (an in-process hub
     * as it drops, a Redis hub as the messages arrive, a remote hub as its broker reports them): so it is also how
     * the test knows that the messages, which may travel (Redis, a broker), reached the subscriber's buffer.
     */
    @Test
    default void dropOldestKeepsTheLatestMessagesWhileTheSubscriberDoesNotRequest() {
        Hub hub = hub();
        AtomicLong dropped = new AtomicLong();
        StepVerifier stalled = StepVerifier.create(hub.<String>subscribe(Key.parse("c8.k"),
                        SubscribeOptions.defaults().bufferSize(3).overflow(Overflow.DROP_OLDEST)
                                .onDrop(e -> dropped.addAndGet(droppedCount(e))))
                        .map(Message::payload), 0)
                .expectSubscription()
                .then(() -> {
                    awaitSubscribers("c8.k", 1);
                    for (int i = 1; i <= 6; i++) {
                        hub.publish("c8.k", "m" + i);
                    }
                    Await.until(WAIT, () -> dropped.get() == 3, () -> "3 dropped, are " + dropped.get());
                })
                .thenRequest(3)
                .expectNext("m4", "m5", "m6")
                .thenCancel()
                .verifyLater();
        stalled.verify(WAIT);
    }

    @Test
    default void dropLatestKeepsTheFirstMessagesWhileTheSubscriberDoesNotRequest() {
        Hub hub = hub();
        StepVerifier.create(hub.<String>subscribe(Key.parse("c9.k"),
                        SubscribeOptions.defaults().bufferSize(2).overflow(Overflow.DROP_LATEST))
                        .map(Message::payload), 0)
                .expectSubscription()
                .then(() -> {
                    awaitSubscribers("c9.k", 1);
                    for (int i = 1; i <= 5; i++) {
                        hub.publish("c9.k", "m" + i);
                    }
                })
                .thenRequest(2)
                .expectNext("m1", "m2")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    default void dropOldestDropsAreCountedInStatsAndToldToTheDropListener() {
        dropsAreCountedAndTold(Overflow.DROP_OLDEST, "c22.k");
    }

    @Test
    default void dropLatestDropsAreCountedInStatsAndToldToTheDropListener() {
        dropsAreCountedAndTold(Overflow.DROP_LATEST, "c23.k");
    }

    /**
     * A stalled subscriber under {@code policy} beside a fast one: what was published and not delivered to it is
     * exactly what its drop listener was told (a {@link Message} per drop, or a {@link DroppedMessages} per run
     * from a hub whose buffers are elsewhere) and what the stats count, hub-wide and for the topic. The stalled one
     * joins first: a hub hands each message to a topic's subscribers in the order they joined (a remote hub's broker
     * to both before either frame leaves), so once the fast one has every message the stalled one's buffer has seen
     * them all, even where they travel (Redis). DROP_OLDEST drops are told while the subscriber requests nothing; a
     * DROP_LATEST gap may be told only once the messages before it were delivered (a remote hub), so the count is
     * awaited again after the subscriber took its buffer.
     */
    private void dropsAreCountedAndTold(Overflow policy, String topic) {
        Hub hub = hub();
        Key key = Key.parse(topic);
        int buffer = 4;
        int published = 200;
        HubStats stats = hub.stats();
        HubStats.TopicStats topicStats = stats.topic(key);
        long droppedBefore = stats.dropped(policy);
        AtomicLong told = new AtomicLong();
        List<Object> runs = new CopyOnWriteArrayList<>();
        List<String> kept = (policy == Overflow.DROP_OLDEST ? IntStream.range(published - buffer, published)
                : IntStream.range(0, buffer)).mapToObj(i -> "m" + i).toList();
        StepVerifier stalled = StepVerifier.create(hub.<String>subscribe(key, SubscribeOptions.defaults()
                        .bufferSize(buffer).overflow(policy).onDrop(e -> {
                            if (e instanceof DroppedMessages) {
                                runs.add(e);
                            }
                            told.addAndGet(droppedCount(e));
                        })).map(Message::payload), 0)
                .expectSubscription()
                .then(() -> {
                    awaitSubscribers(topic, 1);
                    StepVerifier fast = StepVerifier.create(hub.<String>subscribe(key,
                                    SubscribeOptions.defaults().bufferSize(published)).take(published))
                            .expectNextCount(published).expectComplete().verifyLater();
                    awaitSubscribers(topic, 2);
                    for (int i = 0; i < published; i++) {
                        assertThat(hub.publish(key, "m" + i).isAccepted()).isTrue();
                    }
                    fast.verify(WAIT);
                    if (policy == Overflow.DROP_OLDEST) {
                        awaitTold(told, published - buffer);
                    }
                })
                .thenRequest(buffer)
                .expectNextSequence(kept)
                .then(() -> awaitTold(told, published - buffer))
                .thenCancel()
                .verifyLater();
        stalled.verify(WAIT);
        assertThat(runs).allSatisfy(run -> assertThat(run).isInstanceOfSatisfying(DroppedMessages.class, r -> {
            assertThat(r.topic()).isEqualTo(key);
            assertThat(r.policy()).isEqualTo(policy);
        }));
        assertThat(stats.dropped(policy) - droppedBefore).as("published - delivered").isEqualTo(published - buffer);
        assertThat(topicStats.dropped(policy)).isEqualTo(published - buffer);
    }

    private static void awaitTold(AtomicLong told, long expected) {
        Await.until(WAIT, () -> told.get() == expected,
                () -> "told of " + expected + " drops, was told of " + told.get());
    }

    /** @return how many messages one call of a drop listener tells of */
    private static long droppedCount(Object dropped) {
        return dropped instanceof DroppedMessages run ? run.count() : 1;
    }

    @Test
    default void theStatusOfAReadyHubIsConnected() {
        StepVerifier.create(hub().status().take(1)).expectNext(ConnectionStatus.CONNECTED).expectComplete()
                .verify(WAIT);
    }

    @Test
    default void malformedKeysAndPublishingToAPatternFailWithInvalidKeyException() {
        Hub hub = hub();
        assertThatThrownBy(() -> hub.publish("c10.*", "x")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> hub.publish("c10..x", "x")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> hub.subscribe("c10.**.x")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> hub.publisher(Key.parse("c10.*"))).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    default void aPublishWithoutSubscribersIsAValueNotAnError() {
        PublishResult result = hub().publish("c11.nobody", "x");
        assertThat(result.status()).as("result %s", result)
                .isIn(PublishResult.Status.NO_SUBSCRIBERS, PublishResult.Status.SENT);
    }

    @Test
    default void aPrefixedPublisherPublishesUnderItsPrefix() {
        Hub hub = hub();
        StepVerifier trades = StepVerifier.create(hub.<String>subscribe("c12.trade.*").take(1)
                        .map(m -> m.key() + "=" + m.payload()))
                .expectNext("c12.trade.GOOGL=1639").expectComplete().verifyLater();
        awaitSubscribers("c12.trade.*", 1);
        HubPublisher nasdaq = hub.publisher(Key.of("c12"));
        assertThat(nasdaq.publish(Key.of("trade", "GOOGL"), "1639").isAccepted()).isTrue();
        trades.verify(WAIT);
    }

    @Test
    default void topicsListsActiveTopicsMatchingTheQuerySortedWithPatternsTakenLiterally() {
        Hub hub = hub();
        Disposable a = hub.subscribe("c13.trade.IBM").subscribe();
        Disposable b = hub.subscribe("c13.trade.*").subscribe();
        Disposable c = hub.subscribe("c13.book.GOOGL").subscribe();
        awaitSubscribers("c13.trade.IBM", 1);
        awaitSubscribers("c13.trade.*", 1);
        awaitSubscribers("c13.book.GOOGL", 1);

        assertThat(hub.topics(Key.parse("c13.trade.**"))).extracting(Key::toString)
                .containsExactly("c13.trade.*", "c13.trade.IBM");
        assertThat(hub.topics(Key.parse("c13.*.GOOGL"))).extracting(Key::toString).containsExactly("c13.book.GOOGL");
        assertThat(hub.subscriberCount(Key.parse("c13.trade.*"))).as("the pattern topic, compared exactly")
                .isEqualTo(1);
        assertThat(hub.subscriberCount(Key.parse("c13.trade.MSFT"))).isZero();
        a.dispose();
        b.dispose();
        c.dispose();
        Await.until(WAIT, () -> hub.topics(Key.parse("c13.**")).isEmpty(),
                () -> "no topic under c13, are " + hub.topics(Key.parse("c13.**")));
    }

    @Test
    default void aStalledSubscriberHoldsAtMostItsBufferWhileAFastOneGetsEverything() {
        Hub hub = hub();
        int count = 1_000;
        AtomicLong dropped = new AtomicLong();
        // The fast one having everything does not mean the stalled one's buffer has seen everything: a hub that
        // hands arrivals to its subscribers one after the other on its own thread (Redis) may not have reached the
        // stalled one yet. Its drop listener tells when it has: all but the last 10 dropped.
        StepVerifier fast = StepVerifier.create(hub.<String>subscribe(Key.parse("c14.x"),
                        SubscribeOptions.defaults().bufferSize(count)).map(Message::payload).take(count))
                .expectNextCount(count).expectComplete().verifyLater();
        StepVerifier stalled = StepVerifier.create(hub.<String>subscribe(Key.parse("c14.x"),
                        SubscribeOptions.defaults().bufferSize(10).overflow(Overflow.DROP_OLDEST)
                                .onDrop(e -> dropped.addAndGet(droppedCount(e))))
                        .map(Message::payload), 0)
                .expectSubscription()
                .then(() -> {
                    awaitSubscribers("c14.x", 2);
                    for (int i = 0; i < count; i++) {
                        assertThat(hub.publish("c14.x", Integer.toString(i)).isAccepted()).isTrue();
                    }
                })
                .then(() -> fast.verify(WAIT)) // the fast one got everything while this one requested nothing
                .then(() -> Await.until(WAIT, () -> dropped.get() == count - 10,
                        () -> (count - 10) + " dropped by the stalled subscriber, are " + dropped.get()))
                .thenRequest(10)
                .expectNextSequence(IntStream.range(count - 10, count).mapToObj(Integer::toString).toList())
                .thenCancel()
                .verifyLater();
        stalled.verify(WAIT);
    }

    @Test
    default void aSubscriberWhoseOnNextThrowsIsCancelledAloneAndTold() {
        Hub hub = hub();
        List<String> others = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> told = new AtomicReference<>();
        hub.<String>subscribe("c15.x").subscribe(m -> others.add(m.payload()));
        hub.<String>subscribe("c15.x").subscribe(m -> {
            if (m.payload().equals("2")) {
                throw new IllegalStateException("boom on 2");
            }
        }, told::set);
        awaitSubscribers("c15.x", 2);

        for (int i = 1; i <= 3; i++) {
            assertThat(hub.publish("c15.x", Integer.toString(i)).isAccepted()).isTrue();
        }
        Await.until(WAIT, () -> others.size() == 3 && told.get() != null,
                () -> "the others got " + others + ", the thrower was told " + told.get());
        assertThat(others).containsExactly("1", "2", "3");
        assertThat(told.get()).hasMessage("boom on 2");
        awaitSubscribers("c15.x", 1);
        assertThat(hub.publish("c15.x", "4").isAccepted()).isTrue();
        Await.until(WAIT, () -> others.size() == 4, () -> "the others got " + others);
    }

    @Test
    default void takeCompletesTheSubscriberAndLeavesTheTopic() {
        Hub hub = hub();
        StepVerifier two = StepVerifier.create(hub.<String>subscribe("c16.x").take(2).map(Message::payload))
                .expectNext("1", "2").expectComplete().verifyLater();
        awaitSubscribers("c16.x", 1);
        hub.publish("c16.x", "1");
        hub.publish("c16.x", "2");
        two.verify(WAIT);
        awaitSubscribers("c16.x", 0);
        Await.until(WAIT, () -> hub.topics(Key.parse("c16.**")).isEmpty(),
                () -> "no topic under c16, are " + hub.topics(Key.parse("c16.**")));
    }

    @Test
    default void aSubscriberCancellingInsideOnSubscribeIsNeverCountedNorAnnounced() {
        Hub hub = hub();
        List<HubEvent> events = new CopyOnWriteArrayList<>();
        hub.events().filter(e -> e.key().startsWith(Key.of("c17"))).subscribe(events::add);
        StepVerifier.create(hub.subscribe("c17.x").take(0)).expectComplete().verify(WAIT);
        StepVerifier.create(hub.subscribe("c17.x"), 0).thenCancel().verify(WAIT);
        // a later subscriber's events show that nothing was announced before it
        Disposable marker = hub.subscribe("c17.marker").subscribe();
        Await.until(WAIT, () -> !events.isEmpty(), () -> "no event for c17.marker");
        assertThat(events).containsExactly(new HubEvent.Added(Key.parse("c17.marker"), 1));
        assertThat(hub.subscriberCount(Key.parse("c17.x"))).isZero();
        marker.dispose();
    }

    @Test
    default void aDeclaredTopicReplaysItsLastMessagesToLateJoiners() {
        Hub hub = hub();
        Key book = Key.parse("c18.book");
        Disposable declaration = hub.declare(book, TopicOptions.defaults().replay(2));
        Await.until(WAIT, () -> hub.topics(Key.parse("c18.**")).equals(List.of(book)),
                () -> "topics(c18.**) == [c18.book], are " + hub.topics(Key.parse("c18.**")));
        for (int i = 1; i <= 3; i++) { // kept for late joiners even when nobody listens now (NO_SUBSCRIBERS)
            assertThat(hub.publish(book, Integer.toString(i)).status())
                    .isIn(PublishResult.Status.NO_SUBSCRIBERS, PublishResult.Status.SENT);
        }
        StepVerifier.create(hub.<String>subscribe(book).map(Message::payload))
                .expectNext("2", "3")
                .then(() -> hub.publish(book, "4"))
                .expectNext("4")
                .thenCancel()
                .verify(WAIT);
        declaration.dispose();
        Await.until(WAIT, () -> hub.topics(Key.parse("c18.**")).isEmpty(),
                () -> "no topic under c18 after the declaration went, are " + hub.topics(Key.parse("c18.**")));
    }

    @Test
    default void declaringAnActiveTopicWithOtherOptionsIsRefused() {
        Hub hub = hub();
        Disposable sub = hub.subscribe("c19.x").subscribe();
        awaitSubscribers("c19.x", 1);
        assertThatThrownBy(() -> hub.declare(Key.parse("c19.x"), TopicOptions.defaults().replay(3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("c19.x");
        sub.dispose();
    }

    @Test
    default void topicOptionsAreThoseOfTheActiveTopic() {
        Hub hub = hub();
        Key book = Key.parse("c21.book");
        Key plain = Key.parse("c21.plain");
        assertThat(hub.topicOptions(book)).isEmpty();
        Disposable declaration = hub.declare(book, TopicOptions.defaults().replay(3));
        Disposable subscriber = hub.subscribe(plain).subscribe();
        awaitSubscribers("c21.plain", 1);
        assertThat(hub.topicOptions(book)).contains(TopicOptions.defaults().replay(3));
        assertThat(hub.topicOptions(plain)).contains(TopicOptions.defaults());
        // declaring the same options again is fine; other ones are refused
        hub.declare(book, TopicOptions.defaults().replay(3)).dispose();
        assertThatThrownBy(() -> hub.declare(plain, TopicOptions.defaults().replay(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("c21.plain");
        subscriber.dispose();
        declaration.dispose();
        Await.until(WAIT, () -> hub.topicOptions(book).isEmpty() && hub.topicOptions(plain).isEmpty(),
                () -> "no options once the topics went: " + hub.topicOptions(book) + ", " + hub.topicOptions(plain));
    }

    @Test
    default void closeIsIdempotentAndEndsEventsAndLaterSubscribers() {
        Hub hub = hub();
        hub.close();
        hub.close();
        assertThat(hub.isClosed()).isTrue();
        assertThat(hub.publish("c20.x", "x")).isEqualTo(PublishResult.CLOSED);
        StepVerifier.create(hub.events()).expectComplete().verify(WAIT);
        StepVerifier.create(hub.subscribe("c20.x")).expectComplete().verify(WAIT);
    }
}
