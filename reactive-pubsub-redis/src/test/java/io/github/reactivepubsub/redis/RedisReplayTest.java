package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.test.StepVerifier;

/** Replay topics on Redis Streams: tail then live, no gap, no duplicate; interop with XADD. */
class RedisReplayTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    static final Duration WAIT = Duration.ofSeconds(10);

    private final Disposable.Composite cleanup = Disposables.composite();

    @AfterEach
    void closeAll() {
        cleanup.dispose();
    }

    private RedisHub hub(String namespace) {
        RedisHub hub = RedisHub.create(REDIS.uri(), Codecs.utf8(), RedisHubOptions.defaults().namespace(namespace));
        cleanup.add(hub::close);
        hub.connected().block(WAIT);
        return hub;
    }

    /** Publishes, retrying while back-pressured. */
    private static void publish(RedisHub hub, String key, String payload) {
        PublishResult r;
        while ((r = hub.publish(key, payload)) == PublishResult.BACK_PRESSURED) {
            Thread.onSpinWait();
        }
        assertThat(r).isEqualTo(PublishResult.SENT);
    }

    @Test
    void aLateJoinerInAnotherHubGetsTheTailThenLiveMessages() {
        RedisHub publisher = hub("r1:");
        RedisHub late = hub("r1:");
        cleanup.add(publisher.declare(Key.parse("book.ETF"), TopicOptions.defaults().replay(3)));
        cleanup.add(late.declare(Key.parse("book.ETF"), TopicOptions.defaults().replay(3)));
        for (int i = 1; i <= 5; i++) {
            publish(publisher, "book.ETF", "v" + i);
        }
        Await.until(WAIT, () -> REDIS.cli("XLEN", "r1:book.ETF").equals("5\n"), () -> "5 entries in the stream");
        StepVerifier.create(late.<String>subscribe("book.ETF").map(Message::payload))
                .expectNext("v3", "v4", "v5")
                .then(() -> {
                    Await.until(WAIT, () -> late.subscriberCount(Key.parse("book.ETF")) == 1, () -> "live");
                    publish(publisher, "book.ETF", "v6");
                })
                .expectNext("v6")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void joinersDuringAFastStreamSeeTheirTailThenEveryLaterMessageWithoutGapOrDuplicate() {
        RedisHub publisher = hub("r2:");
        RedisHub subscribers = hub("r2:");
        Key key = Key.parse("seq");
        // The publisher's replay count is the stream's length (MAXLEN ~), the subscribers' hub's is the tail they
        // get: a long stream, so that readers starting behind a publisher this fast lose nothing to trimming (a
        // reader more than MAXLEN behind would, as documented), and a tail of 100.
        cleanup.add(publisher.declare(key, TopicOptions.defaults().replay(100_000)));
        cleanup.add(subscribers.declare(key, TopicOptions.defaults().replay(100)));
        int total = 20_000;
        List<List<Integer>> received = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            publish(publisher, "seq", Integer.toString(i));
            if (i % 4_000 == 1_000) { // joiners while the stream runs
                List<Integer> mine = new CopyOnWriteArrayList<>();
                received.add(mine);
                cleanup.add(subscribers.<String>subscribe(key, SubscribeOptions.defaults().bufferSize(1 << 16))
                        .subscribe(m -> mine.add(Integer.parseInt(m.payload()))));
            }
        }
        Await.until(Duration.ofSeconds(30), () -> received.stream().allMatch(r -> !r.isEmpty()
                && r.get(r.size() - 1) == total - 1), () -> "every joiner reached the last message");
        for (List<Integer> r : received) {
            for (int k = 1; k < r.size(); k++) {
                assertThat(r.get(k)).as("message after %d (joiner that started at %d)", r.get(k - 1), r.get(0))
                        .isEqualTo(r.get(k - 1) + 1);
            }
            assertThat(r.get(0)).as("a tail of 100 at most behind the last published when joining").isLessThan(total);
        }
        assertThat(received).hasSize(5);
    }

    @Test
    void entriesAddedWithRedisCliXaddAreDeliveredAndOurPublishesAreStreamEntries() {
        RedisHub hub = hub("r3:");
        cleanup.add(hub.declare(Key.parse("log"), TopicOptions.defaults().replay(10)));
        REDIS.cli("XADD", "r3:log", "*", "p", "from cli");
        StepVerifier.create(hub.<String>subscribe("log").map(Message::payload))
                .expectNext("from cli")
                .then(() -> {
                    Await.until(WAIT, () -> hub.subscriberCount(Key.parse("log")) == 1, () -> "live");
                    REDIS.cli("XADD", "r3:log", "*", "p", "live from cli");
                })
                .expectNext("live from cli")
                .then(() -> publish(hub, "log", "ours"))
                .expectNext("ours")
                .thenCancel()
                .verify(WAIT);
        assertThat(REDIS.cli("XRANGE", "r3:log", "-", "+")).contains("ours");
    }

    @Test
    void aStreamPublishAlsoReachesPubSubSubscribersOfOtherHubs() {
        RedisHub declared = hub("r4:");
        RedisHub plain = hub("r4:");
        cleanup.add(declared.declare(Key.parse("k"), TopicOptions.defaults().replay(2)));
        StepVerifier both = StepVerifier.create(plain.<String>subscribe("k").map(Message::payload).take(1))
                .expectNext("x").expectComplete().verifyLater();
        Await.until(WAIT, () -> plain.subscriberCount(Key.parse("k")) == 1, () -> "subscribed");
        StepVerifier.create(declared.publishAndCount(Key.parse("k"), "x")).expectNext(1L).verifyComplete();
        both.verify(WAIT);
    }
}
